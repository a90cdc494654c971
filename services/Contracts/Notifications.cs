namespace TeamPlatform.Contracts.V1;

/// <summary>A provider confirmed a message (sent, delivered or read, whichever it reports last).</summary>
public sealed record NotificationDelivered(
    Guid OrgId,
    Guid NotificationId,
    string Template,
    string Channel,
    string Status,
    DateTimeOffset OccurredAt);

/// <summary>A message could not be delivered on any allowed channel; no more attempts follow.</summary>
public sealed record NotificationFailed(
    Guid OrgId,
    Guid NotificationId,
    string Template,
    string Channel,
    string Error,
    DateTimeOffset OccurredAt);
