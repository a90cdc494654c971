using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using TeamPlatform.Console.Infrastructure.Gateway;
using TeamPlatform.Console.Infrastructure.Sessions;

namespace TeamPlatform.Console.Infrastructure;

/// <summary>
/// What one browser tab's live connection knows: the browser it serves (forwarded on every API call), the antiforgery
/// token of its page (for the forms that change the cookie), and the session it is signed in with, if any.
/// </summary>
public sealed class ConsoleCircuit(NavigationManager navigation)
{
    public BrowserClient Browser { get; private set; } = BrowserClient.Unknown;

    public string AntiforgeryToken { get; private set; } = "";

    public Guid? SessionId { get; private set; }

    public string? OrgSlug { get; private set; }

    public void Start(PageContext page, ClaimsPrincipal user)
    {
        Browser = page.Browser;
        AntiforgeryToken = page.AntiforgeryToken;
        SessionId = user.ConsoleSessionId();
        OrgSlug = user.OrgSlug();
    }

    /// <summary>The session ended elsewhere (blocked, removed, signed out everywhere): the page reloads as signed out.</summary>
    public void SessionEnded()
    {
        SessionId = null;
        navigation.NavigateTo(OrgSlug is null ? "/signed-out" : $"/signed-out?org={Uri.EscapeDataString(OrgSlug)}", forceLoad: true);
    }
}

/// <summary>What the page's first request knew, handed to its interactive components (serialised, tamper-proof).</summary>
public sealed record PageContext(BrowserClient Browser, string AntiforgeryToken);
