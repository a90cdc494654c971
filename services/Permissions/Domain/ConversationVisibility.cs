using System.Collections.Frozen;

namespace TeamPlatform.Permissions.Domain;

public enum VisibilityMode : byte
{
    /// <summary>Only the listed members (with <c>explorer_conversations</c>) see the conversation.</summary>
    Allow,

    /// <summary>The listed members do not see the conversation.</summary>
    Deny,
}

/// <summary>
/// Who may see one conversation of the messaging product (docs/permissions.md#conversation-visibility). Kept after being cleared (no mode), so
/// that replicas catching up by revision also learn of the clearing.
/// </summary>
public sealed class ConversationVisibility
{
    public const int MaxConversationIdLength = 200;
    public const int MaxMembers = 1000;

    private ConversationVisibility()
    {
    }

    public Guid OrgId { get; private set; }

    /// <summary>The messaging product's id: any string of 1–200 characters.</summary>
    public string ConversationId { get; private set; } = "";

    /// <summary>Null when no override applies.</summary>
    public VisibilityMode? Mode { get; private set; }

    public Guid[] MemberIds { get; private set; } = [];

    public long Revision { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    private static bool IsValidConversationId(string? id) => !string.IsNullOrEmpty(id) && id.Length <= MaxConversationIdLength;

    /// <summary>Null when <paramref name="id"/> can name a conversation.</summary>
    public static Refusal? CheckConversationId(string? id) =>
        IsValidConversationId(id) ? null : Refusal.Invalid($"A conversation id is 1 to {MaxConversationIdLength} characters.");

    /// <summary>Null when a list of <paramref name="count"/> members may be set.</summary>
    public static Refusal? CheckMemberCount(int count) =>
        count <= MaxMembers ? null : Refusal.Invalid($"A list names at most {MaxMembers} members.");

    public static ConversationVisibility None(Guid orgId, string conversationId) => IsValidConversationId(conversationId)
        ? new ConversationVisibility { OrgId = orgId, ConversationId = conversationId }
        : throw new ArgumentException("Check the conversation id first.", nameof(conversationId));

    /// <summary>The override the evaluator applies; null when there is none.</summary>
    public ConversationOverride? ToOverride() => Mode is { } mode ? new ConversationOverride(mode, MemberIds.ToFrozenSet()) : null;

    internal bool Differs(VisibilityMode? mode, IReadOnlyCollection<Guid> memberIds) =>
        mode != Mode || (mode is not null && !MemberIds.ToHashSet().SetEquals(memberIds));

    internal void Set(VisibilityMode? mode, IReadOnlyCollection<Guid> memberIds, long revision, DateTimeOffset now)
    {
        Mode = mode;
        MemberIds = mode is null ? [] : memberIds.Distinct().Order().ToArray();
        Revision = revision;
        UpdatedAt = now;
    }
}
