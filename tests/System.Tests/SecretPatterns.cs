using System.Text.RegularExpressions;

namespace TeamPlatform.System.Tests;

/// <summary>Secrets recognised by their shape, wherever they turn up: what the log and telemetry scans look for besides the secrets they know.</summary>
public static partial class SecretPatterns
{
    /// <summary>A phone in E.164 with every digit shown (a masked one keeps three and two: <c>+25*******23</c>).</summary>
    [GeneratedRegex(@"\+\d{9,15}(?!\d)")]
    public static partial Regex UnmaskedPhone();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.")]
    public static partial Regex Jwt();

    /// <summary>Each match of either shape in <paramref name="text"/>.</summary>
    public static IEnumerable<string> In(string text) =>
        UnmaskedPhone().Matches(text).Concat(Jwt().Matches(text)).Select(match => match.Value);
}
