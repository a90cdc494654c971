namespace TeamPlatform.Console.Features.Shared;

/// <summary>How the console speaks of time-bound access (docs/permissions.md#time-bound-access), and the lengths it offers.</summary>
public static class TemporaryAccess
{
    /// <summary>The lengths the access editor offers, besides "until changed" and "keep the current end".</summary>
    public static IReadOnlyList<(string Value, string Label, TimeSpan Length)> Lengths { get; } =
    [
        ("1d", "For 1 day", TimeSpan.FromDays(1)),
        ("7d", "For 1 week", TimeSpan.FromDays(7)),
        ("14d", "For 2 weeks", TimeSpan.FromDays(14)),
        ("30d", "For 30 days", TimeSpan.FromDays(30)),
        ("90d", "For 90 days", TimeSpan.FromDays(90)),
    ];

    /// <summary>
    /// "ends in 14 days", "ends in 5 hours", "ends in 12 minutes", "ends in under a minute", "has ended": rounded up, so that
    /// access given for two weeks a moment ago reads two weeks.
    /// </summary>
    public static string Countdown(DateTimeOffset end, DateTimeOffset now)
    {
        var left = end - now;
        return left switch
        {
            { TotalSeconds: <= 0 } => "has ended",
            { TotalMinutes: < 1 } => "ends in under a minute",
            { TotalHours: < 1 } => $"ends in {Count(left.TotalMinutes, "minute")}",
            { TotalDays: < 2 } => $"ends in {Count(left.TotalHours, "hour")}",
            _ => $"ends in {Count(left.TotalDays, "day")}",
        };
    }

    /// <summary>The instant as the console shows it everywhere: UTC, to the minute.</summary>
    public static string Instant(DateTimeOffset instant) => $"{instant.UtcDateTime:d MMM yyyy, HH:mm} UTC";

    private static string Count(double amount, string unit) => (int)Math.Ceiling(amount) is var count && count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
