using System.Collections.Concurrent;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Infrastructure.Snapshots;

/// <summary>
/// One organisation's members and conversation overrides as of <see cref="Revision"/>, held in memory so that
/// checks never touch the database. Readers never lock; one catch-up at a time writes (see <see cref="SnapshotCache"/>).
/// </summary>
public sealed class OrganisationSnapshot(Guid orgId)
{
    /// <summary>Not loaded yet: below any revision a check can ask for.</summary>
    public const long Unloaded = -1;

    private readonly ConcurrentDictionary<Guid, MemberGrant> _members = new();
    private readonly ConcurrentDictionary<string, ConversationOverride> _conversations = new(StringComparer.Ordinal);
    private long _revision = Unloaded;
    private long _lastUsed;

    public Guid OrgId { get; } = orgId;

    /// <summary>Every change up to this revision is reflected (possibly some later ones too).</summary>
    public long Revision => Volatile.Read(ref _revision);

    public int MemberCount => _members.Count;

    internal SemaphoreSlim CatchUpLock { get; } = new(1, 1);

    internal long LastUsed => Volatile.Read(ref _lastUsed);

    public MemberGrant? Member(Guid memberId) => _members.TryGetValue(memberId, out var grant) ? grant : null;

    public ConversationOverride? Conversation(string? conversationId) =>
        conversationId is not null && _conversations.TryGetValue(conversationId, out var conversation) ? conversation : null;

    internal void Touch(long timestamp)
    {
        if (timestamp != Volatile.Read(ref _lastUsed))
        {
            Volatile.Write(ref _lastUsed, timestamp);
        }
    }

    /// <summary>Applies what changed since <see cref="Revision"/>; the revision moves last, so a reader that sees it sees the changes.</summary>
    internal void Apply(SnapshotDelta delta)
    {
        foreach (var member in delta.Members)
        {
            _members[member.MemberId] = member;
        }

        foreach (var (conversationId, conversation) in delta.Conversations)
        {
            if (conversation is null)
            {
                _conversations.TryRemove(conversationId, out _);
            }
            else
            {
                _conversations[conversationId] = conversation;
            }
        }

        if (delta.Revision > Revision)
        {
            Volatile.Write(ref _revision, delta.Revision);
        }
    }
}

/// <summary>What changed in an organisation after a revision, read in one consistent database snapshot.</summary>
public sealed record SnapshotDelta(
    long Revision,
    IReadOnlyList<MemberGrant> Members,
    IReadOnlyList<KeyValuePair<string, ConversationOverride?>> Conversations);
