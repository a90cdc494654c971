namespace TeamPlatform.Notifications.Domain;

/// <summary>Which rule of a log entry refused. No route answers with one: the workers and the webhooks act on the kind.</summary>
public enum RefusalKind
{
    /// <summary>The message is not queued, or its next attempt is not due yet.</summary>
    NotDue,

    /// <summary>The message's time ran out before this attempt: it has failed instead.</summary>
    TooLate,

    /// <summary>Only a failed WhatsApp message, or one past its fallback time, falls back to SMS.</summary>
    NoFallback,
}

/// <summary>
/// A rule's refusal: nothing was applied, except that a message past its time fails (<see cref="RefusalKind.TooLate"/>).
/// The entry's methods return it, null when the change may happen; each rule's words are stated once, beside the rule.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Detail);
