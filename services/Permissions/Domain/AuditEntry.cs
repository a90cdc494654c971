using System.Text.Json;

namespace TeamPlatform.Permissions.Domain;

/// <summary>What an audit entry records.</summary>
public static class AuditActions
{
    public const string Registered = "registered";
    public const string AccessChanged = "access_changed";
    public const string Removed = "removed";
    public const string GroupDeleted = "group_deleted";
    public const string ConversationVisibilityChanged = "conversation_visibility_changed";
}

/// <summary>One access change: who, whose, when, before → after (documents as the API shows them).</summary>
public sealed class AuditEntry
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private AuditEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    /// <summary>Whose access changed; null for a conversation's visibility.</summary>
    public Guid? MemberId { get; private set; }

    /// <summary>Who changed it; null when the system did (registration).</summary>
    public Guid? ActorId { get; private set; }

    public string Action { get; private set; } = "";

    public string? ConversationId { get; private set; }

    public Guid? GroupId { get; private set; }

    /// <summary>JSON: <c>{status, role, isAdmin, access}</c> of the member, or the conversation's lists.</summary>
    public string? Before { get; private set; }

    public string? After { get; private set; }

    public long Revision { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public static AuditEntry Of(string action, AccessChange change, Guid? actorId, DateTimeOffset now, Guid? groupId = null) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrgId = change.Member.OrgId,
        MemberId = change.Member.Id,
        ActorId = actorId,
        Action = action,
        GroupId = groupId,
        Before = action == AuditActions.Registered ? null : Serialize(change.Before),
        After = Serialize(change.After),
        Revision = change.Revision,
        OccurredAt = now,
    };

    public static AuditEntry OfVisibility(Guid orgId, string conversationId, object? before, object? after, Guid actorId, long revision, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrgId = orgId,
        ActorId = actorId,
        Action = AuditActions.ConversationVisibilityChanged,
        ConversationId = conversationId,
        Before = before is null ? null : JsonSerializer.Serialize(before, Json),
        After = after is null ? null : JsonSerializer.Serialize(after, Json),
        Revision = revision,
        OccurredAt = now,
    };

    private static string Serialize(MemberState state) => JsonSerializer.Serialize(
        new
        {
            status = MemberStatusNames.NameOf(state.Status),
            role = state.Role,
            isAdmin = state.IsAdmin,
            access = AccessDocument.From(state.Access),
        },
        Json);
}
