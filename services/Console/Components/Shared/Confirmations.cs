using System.Net;
using Microsoft.FluentUI.AspNetCore.Components;

namespace TeamPlatform.Console.Components.Shared;

public static class Confirmations
{
    /// <summary>
    /// Asks before an action a person cannot take back: what it is, what follows, and the button that does it. Names
    /// typed by people (a group's, a member's) are shown as text, never as markup.
    /// </summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string consequence, string action)
    {
        var dialog = await dialogs.ShowConfirmationAsync(WebUtility.HtmlEncode(consequence), action, "Cancel", WebUtility.HtmlEncode(title));
        return !(await dialog.Result).Cancelled;
    }
}
