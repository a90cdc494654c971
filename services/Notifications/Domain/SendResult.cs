namespace TeamPlatform.Notifications.Domain;

/// <summary>What a provider answered to one attempt.</summary>
public abstract record SendResult
{
    /// <summary>The provider took the message. <paramref name="Status"/> is <c>sent</c>, or <c>delivered</c> when it is final at once (the development channel).</summary>
    public sealed record Accepted(string ProviderMessageId, DeliveryStatus Status = DeliveryStatus.Sent) : SendResult;

    /// <summary>Worth trying again later (5xx, 429, timeouts, connection errors); <paramref name="RetryAfter"/> when the provider said when.</summary>
    public sealed record Transient(string Error, TimeSpan? RetryAfter = null) : SendResult;

    /// <summary>Trying again cannot help (invalid number, refused template, bad credentials).</summary>
    public sealed record Permanent(string Error) : SendResult;
}
