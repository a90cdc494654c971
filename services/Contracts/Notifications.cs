namespace TeamPlatform.Contracts.V1;

/// <summary>A provider confirmed a message (sent, delivered or read, whichever it reports last).</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="NotificationId">The notification.</param>
/// <param name="Template">The message's template, such as <c>invitation</c> or <c>approval_request</c>.</param>
/// <param name="Channel">The channel that delivered it: <c>whatsapp</c>, <c>sms</c> or <c>email</c>.</param>
/// <param name="Status">What the provider reported: <c>sent</c>, <c>delivered</c> or <c>read</c>.</param>
/// <param name="OccurredAt">When the provider's confirmation arrived (UTC).</param>
public sealed record NotificationDelivered(
    Guid OrgId,
    Guid NotificationId,
    string Template,
    string Channel,
    string Status,
    DateTimeOffset OccurredAt);

/// <summary>A message could not be delivered on any allowed channel; no more attempts follow.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="NotificationId">The notification.</param>
/// <param name="Template">The message's template.</param>
/// <param name="Channel">The last channel tried.</param>
/// <param name="Error">Why the last attempt failed, as the provider said it.</param>
/// <param name="OccurredAt">When the notification was given up (UTC).</param>
public sealed record NotificationFailed(
    Guid OrgId,
    Guid NotificationId,
    string Template,
    string Channel,
    string Error,
    DateTimeOffset OccurredAt);
