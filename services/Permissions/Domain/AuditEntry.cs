using TeamPlatform.Contracts.V1;
using System.Text.Json;

namespace TeamPlatform.Permissions.Domain;

/// <summary>What an audit entry records.</summary>
public static class AuditActions
{
    public const string Registered = "registered";
    public const string AccessChanged = "access_changed";

    /// <summary>Time-bound access ended by itself: no actor, <c>changedByKind</c> <c>expiry</c>.</summary>
    public const string AccessExpired = "access_expired";
    public const string Removed = "removed";
    public const string GroupDeleted = "group_deleted";
    public const string ConversationVisibilityChanged = "conversation_visibility_changed";

    /// <summary>Facts gathered from the other services' events (docs/permissions.md#audit-chain): no access changed.</summary>
    public const string SignedIn = "signed_in";
    public const string SessionsRevoked = "sessions_revoked";
    public const string InvitationSent = "invitation_sent";
    public const string InvitationRenewed = "invitation_renewed";
    public const string InvitationRevoked = "invitation_revoked";
    public const string InvitationAccepted = "invitation_accepted";

    /// <summary>The first entry of an organisation's chain (docs/permissions.md#audit-chain): no member, no actor, no state.</summary>
    public const string Genesis = "genesis";
}

/// <summary>
/// One access change: who, whose, when, before → after (documents as the API shows them), and its place in the
/// organisation's hash chain (<see cref="AuditChain"/>), given by <see cref="Organisation.Audit"/> under the organisation's lock.
/// </summary>
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

    /// <summary>
    /// The groups the entry touches: every group named by the access before or after, and the group deleted. Group admins
    /// see the entries that touch their groups (docs/permissions.md#group-admins). Derived, so not part of the hash.
    /// </summary>
    public Guid[] GroupsTouched { get; private set; } = [];

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>1, 2, 3… per organisation, in the order the changes were committed; 1 is the genesis entry.</summary>
    public long Sequence { get; private set; }

    /// <summary>The <see cref="Hash"/> of the entry before (<see cref="AuditChain.Origin"/> for the genesis entry).</summary>
    public byte[] PreviousHash { get; private set; } = [];

    /// <summary>SHA-256 over the entry's canonical form, which includes <see cref="PreviousHash"/>.</summary>
    public byte[] Hash { get; private set; } = [];

    /// <summary>Who made the change: a member (<see cref="ActorId"/>), time-bound access ending, or the system (registration).</summary>
    public string ChangedByKind => Action == AuditActions.AccessExpired ? ChangeKinds.Expiry : ActorId is null ? ChangeKinds.System : ChangeKinds.Member;

    /// <summary>Whether the entry has its place in the chain (rows written before the chain existed get theirs once, at start).</summary>
    public bool IsChained => Hash.Length == AuditChain.HashSize;

    public static AuditEntry Of(string action, AccessChange change, Guid? actorId, DateTimeOffset now, Guid? groupId = null) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrgId = change.Member.OrgId,
        MemberId = change.Member.Id,
        ActorId = actorId,
        Action = action,
        GroupId = groupId,
        Before = action == AuditActions.Registered ? null : Serialize(change.Before, change.LapseBefore),
        After = Serialize(change.After, change.LapseAfter),
        Revision = change.Revision,
        OccurredAt = AuditChain.Stored(now),
        GroupsTouched = Touched(change, groupId),
    };

    private static Guid[] Touched(AccessChange change, Guid? groupId) =>
        new[] { change.Before, change.After, change.LapseBefore?.Then, change.LapseAfter?.Then }
            .OfType<MemberState>()
            .SelectMany(state => state.Access.GroupIds)
            .Concat(groupId is { } group ? [group] : [])
            .Distinct()
            .Order()
            .ToArray();

    /// <summary>
    /// A fact another service published (a sign-in, an invitation sent…): whose, who did it, what (<paramref name="details"/>,
    /// kept as <c>after</c>), dated when it happened there; <paramref name="revision"/> is the organisation's at the time it is recorded.
    /// </summary>
    public static AuditEntry OfFact(Guid orgId, string action, Guid? memberId, Guid? actorId, object details, long revision, DateTimeOffset occurredAt) => new()
    {
        Id = Guid.CreateVersion7(occurredAt),
        OrgId = orgId,
        MemberId = memberId,
        ActorId = actorId,
        Action = action,
        After = JsonSerializer.Serialize(details, Json),
        Revision = revision,
        OccurredAt = AuditChain.Stored(occurredAt),
    };

    /// <summary>The first entry of <paramref name="orgId"/>'s chain, dated when the organisation was created.</summary>
    public static AuditEntry Genesis(Guid orgId, DateTimeOffset createdAt) => new()
    {
        Id = Guid.CreateVersion7(createdAt),
        OrgId = orgId,
        Action = AuditActions.Genesis,
        OccurredAt = AuditChain.Stored(createdAt),
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
        OccurredAt = AuditChain.Stored(now),
    };

    /// <summary>Puts the entry at <paramref name="sequence"/>, after the entry whose hash is <paramref name="previousHash"/>.</summary>
    internal void Chain(long sequence, byte[] previousHash)
    {
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = AuditChain.HashOf(this);
    }

    private static string Serialize(MemberState state, AccessLapse? lapse) => JsonSerializer.Serialize(
        new
        {
            status = MemberStatusNames.NameOf(state.Status),
            role = state.Role,
            isAdmin = state.IsAdmin,
            access = AccessDocument.Of(state.Access, lapse),
        },
        Json);
}
