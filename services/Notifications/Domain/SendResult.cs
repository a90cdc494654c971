namespace TeamPlatform.Notifications.Domain;

/// <summary>What a provider answered to one attempt.</summary>
public abstract record SendResult
{
    /// <summary>The provider took the message. <paramref name="Status"/> is <c>sent</c>, or <c>delivered</c> when it is final at once (the development channel).</summary>
    public sealed record Accepted(string ProviderMessageId, DeliveryStatus Status = DeliveryStatus.Sent) : SendResult;

    /// <summary>
    /// The provider did not take the message and trying again may help (5xx, throttling, no connection made): a retry
    /// cannot make a duplicate. <paramref name="RetryAfter"/> when the provider said when.
    /// </summary>
    public sealed record Transient(string Error, ProviderErrorKind Kind = ProviderErrorKind.ServerError, TimeSpan? RetryAfter = null) : SendResult;

    /// <summary>Trying again cannot help (invalid number, refused template, bad credentials).</summary>
    public sealed record Permanent(string Error) : SendResult;

    /// <summary>
    /// The request may have reached the provider but no readable answer came back (a timeout, the connection lost
    /// after the request was written, an answer that cannot be read): the message may be on its way. It is not sent
    /// again blindly; the provider's receipt decides. See docs/decisions/0404-unknown-outcomes.md.
    /// </summary>
    public sealed record Unknown(string Error, ProviderErrorKind Kind) : SendResult;
}

/// <summary>What went wrong with a provider call, as the meters count it.</summary>
public enum ProviderErrorKind
{
    /// <summary>The provider answered 5xx: it did not take the message.</summary>
    ServerError,

    /// <summary>The provider answered a refusal (4xx, an error code): throttling is retried, the rest is permanent.</summary>
    Refusal,

    /// <summary>No connection could be made: the request never left.</summary>
    Connection,

    /// <summary>No answer in time: the outcome is unknown.</summary>
    Timeout,

    /// <summary>The connection dropped after the request was written, or the answer could not be read: the outcome is unknown.</summary>
    LostAnswer,
}
