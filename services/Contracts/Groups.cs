namespace TeamPlatform.Contracts.V1;

/// <summary>A group was deleted and stripped from every grant.</summary>
public sealed record GroupDeleted(
    Guid OrgId,
    Guid GroupId,
    long Revision,
    DateTimeOffset OccurredAt);

/// <summary>A conversation's allow- or deny-list was set or cleared.</summary>
public sealed record ConversationVisibilityChanged(
    Guid OrgId,
    string ConversationId,
    long Revision,
    DateTimeOffset OccurredAt);
