namespace TeamPlatform.Notifications.Domain;

/// <summary>
/// Exponential backoff with a cap and jitter, for transient provider errors; and how long an attempt whose outcome
/// is unknown waits for the provider's receipt before anything is sent again.
/// </summary>
/// <param name="FirstDelay">The pause after the first failed attempt.</param>
/// <param name="MaxDelay">No pause is longer than this.</param>
/// <param name="MaxAttempts">Attempts per channel, the first one included.</param>
/// <param name="ReceiptWait">After a timeout or a lost answer: the provider's time to send a receipt.</param>
public sealed record RetryPolicy(TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxAttempts, TimeSpan ReceiptWait)
{
    /// <summary>The receipt deadline of an attempt starting <paramref name="now"/> whose call may take up to <paramref name="callLimit"/>.</summary>
    public DateTimeOffset OutcomeDeadline(DateTimeOffset now, TimeSpan callLimit) => now + callLimit + ReceiptWait;

    /// <summary>
    /// When attempt number <paramref name="attempts"/> + 1 may run: <c>FirstDelay · 2^(attempts-1)</c>, capped, spread by
    /// ±<paramref name="jitter"/> (0..1 → −20 %..+20 %) so that many messages failing together do not retry together.
    /// A provider's own <c>Retry-After</c> wins when it asks for longer.
    /// </summary>
    public TimeSpan DelayAfter(int attempts, double jitter, TimeSpan? retryAfter = null)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var baseMs = Math.Min(FirstDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(baseMs * (0.8 + (0.4 * Math.Clamp(jitter, 0, 1))));
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < MaxDelay ? asked : MaxDelay;
        }

        return delay;
    }
}
