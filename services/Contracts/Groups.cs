namespace TeamPlatform.Contracts.V1;

/// <summary>A group was deleted and stripped from every grant.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="GroupId">The deleted group.</param>
/// <param name="Revision">The organisation's access revision after the deletion.</param>
/// <param name="OccurredAt">When the group was deleted (UTC).</param>
public sealed record GroupDeleted(
    Guid OrgId,
    Guid GroupId,
    long Revision,
    DateTimeOffset OccurredAt);

/// <summary>A conversation's allow- or deny-list was set or cleared.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="ConversationId">The conversation, as the messaging product names it.</param>
/// <param name="Revision">The organisation's access revision after the change.</param>
/// <param name="OccurredAt">When the list changed (UTC).</param>
public sealed record ConversationVisibilityChanged(
    Guid OrgId,
    string ConversationId,
    long Revision,
    DateTimeOffset OccurredAt);
