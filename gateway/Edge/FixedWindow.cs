namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// One window of a fixed-window rate limit. Windows are aligned to the Unix epoch, so every gateway puts a moment in
/// the same window without agreeing on anything but the clock.
/// </summary>
public readonly record struct FixedWindow(DateTimeOffset Start, TimeSpan Length)
{
    public DateTimeOffset End => Start + Length;

    /// <summary>The window of <paramref name="length"/> that holds <paramref name="now"/>, its start in UTC.</summary>
    public static FixedWindow At(DateTimeOffset now, TimeSpan length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        var utcTicks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var startTicks = utcTicks - (utcTicks % length.Ticks);
        return new FixedWindow(DateTimeOffset.UnixEpoch.AddTicks(startTicks), length);
    }

    /// <summary>What is left of the window at <paramref name="now"/>: how long a refused client waits.</summary>
    public TimeSpan RemainingAt(DateTimeOffset now) => now >= End ? TimeSpan.Zero : End - now;
}
