using System.Text.RegularExpressions;

namespace TeamPlatform.Notifications.Channels;

/// <summary>Provider error texts as the delivery log and the logs may keep them.</summary>
internal static partial class ProviderErrors
{
    /// <summary>
    /// Providers echo the recipient in their messages ("The 'To' number +2547… is not valid"): any run of seven or
    /// more digits (with the separators phone numbers use; phone numbers have eight to fifteen) is replaced, and the text is kept short.
    /// </summary>
    public static string Sanitize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var cleaned = LongNumber().Replace(text, "***").ReplaceLineEndings(" ").Trim();
        return cleaned.Length <= 300 ? cleaned : cleaned[..300];
    }

    [GeneratedRegex(@"\+?\d[\d\s().-]{5,}\d")]
    private static partial Regex LongNumber();
}
