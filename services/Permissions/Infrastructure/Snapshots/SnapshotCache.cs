using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Infrastructure.Snapshots;

/// <summary>
/// This replica's organisation snapshots. A check finds its snapshot and member without awaiting anything
/// (the hit path allocates nothing); an organisation is loaded on its first check, caught up by the events
/// each replica hears on its own queue, and caught up before answering a check whose <c>minRevision</c> it
/// has not reached yet (read-your-writes across replicas).
/// </summary>
public sealed partial class SnapshotCache(ISnapshotSource store, TimeProvider time, ILogger<SnapshotCache> logger, IMeterFactory meters)
{
    private readonly ConcurrentDictionary<Guid, OrganisationSnapshot> _snapshots = new();
    private readonly Counter<long> _catchUps = meters.Create("TeamPlatform.Permissions").CreateCounter<long>(
        "teamplatform.permissions.snapshot.catch_ups", description: "Snapshot loads and catch-ups from the database");

    public int Count => _snapshots.Count;

    /// <summary>The organisation's snapshot at <paramref name="minRevision"/> or later; null when the organisation does not exist.</summary>
    public ValueTask<OrganisationSnapshot?> GetAsync(Guid orgId, long minRevision, CancellationToken cancellationToken)
    {
        if (_snapshots.TryGetValue(orgId, out var snapshot) && snapshot.Revision >= minRevision && snapshot.Revision != OrganisationSnapshot.Unloaded)
        {
            snapshot.Touch(time.GetTimestamp());
            return ValueTask.FromResult<OrganisationSnapshot?>(snapshot);
        }

        return new ValueTask<OrganisationSnapshot?>(LoadAsync(orgId, minRevision, cancellationToken));
    }

    /// <summary>
    /// The member's grant in force now (time-bound access answers by the clock); a member the snapshot does not know yet
    /// (created a moment ago, its event still on the way) is caught up once before the answer is "no such member".
    /// </summary>
    public ValueTask<MemberGrant?> MemberAsync(OrganisationSnapshot snapshot, Guid memberId, CancellationToken cancellationToken)
    {
        var grant = snapshot.Member(memberId);
        return grant is not null
            ? ValueTask.FromResult<MemberGrant?>(grant.Lapsed is null ? grant : grant.At(time.GetUtcNow()))
            : new ValueTask<MemberGrant?>(CatchUpForMemberAsync(snapshot, memberId, cancellationToken));
    }

    /// <summary>Something changed in the organisation at <paramref name="revision"/>; catch up if this replica holds it.</summary>
    public async Task NotifyAsync(Guid orgId, long revision, CancellationToken cancellationToken)
    {
        if (_snapshots.TryGetValue(orgId, out var snapshot) && snapshot.Revision != OrganisationSnapshot.Unloaded && snapshot.Revision < revision)
        {
            await CatchUpAsync(snapshot, revision, force: false, cancellationToken);
        }
    }

    /// <summary>Catches up every snapshot behind the database and forgets the ones nobody asked about for <paramref name="idle"/>.</summary>
    public async Task ResyncAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        foreach (var snapshot in _snapshots.Values.Where(s => time.GetElapsedTime(s.LastUsed, now) > idle))
        {
            _snapshots.TryRemove(KeyValuePair.Create(snapshot.OrgId, snapshot));
        }

        var loaded = _snapshots.Values.Where(s => s.Revision != OrganisationSnapshot.Unloaded).ToList();
        if (loaded.Count == 0)
        {
            return;
        }

        var revisions = await store.RevisionsAsync(loaded.Select(s => s.OrgId).ToList(), cancellationToken);
        foreach (var snapshot in loaded)
        {
            if (!revisions.TryGetValue(snapshot.OrgId, out var revision))
            {
                _snapshots.TryRemove(KeyValuePair.Create(snapshot.OrgId, snapshot));
            }
            else if (revision > snapshot.Revision)
            {
                LogBehind(logger, snapshot.OrgId, snapshot.Revision, revision);
                await CatchUpAsync(snapshot, revision, force: false, cancellationToken);
            }
        }
    }

    private async Task<OrganisationSnapshot?> LoadAsync(Guid orgId, long minRevision, CancellationToken cancellationToken)
    {
        var snapshot = _snapshots.GetOrAdd(orgId, id => new OrganisationSnapshot(id));
        snapshot.Touch(time.GetTimestamp());
        return await CatchUpAsync(snapshot, Math.Max(minRevision, 0), force: false, cancellationToken) ? snapshot : null;
    }

    private async Task<MemberGrant?> CatchUpForMemberAsync(OrganisationSnapshot snapshot, Guid memberId, CancellationToken cancellationToken)
    {
        await CatchUpAsync(snapshot, snapshot.Revision, force: true, cancellationToken);
        return snapshot.Member(memberId)?.At(time.GetUtcNow());
    }

    /// <summary>Brings <paramref name="snapshot"/> to the database's revision; false when the organisation does not exist.</summary>
    private async Task<bool> CatchUpAsync(OrganisationSnapshot snapshot, long target, bool force, CancellationToken cancellationToken)
    {
        await snapshot.CatchUpLock.WaitAsync(cancellationToken);
        try
        {
            // Whoever held the lock before us may have done our work already.
            if (!force && snapshot.Revision != OrganisationSnapshot.Unloaded && snapshot.Revision >= target)
            {
                return true;
            }

            _catchUps.Add(1);
            var delta = await store.ChangesSinceAsync(snapshot.OrgId, snapshot.Revision, cancellationToken);
            if (delta is null)
            {
                _snapshots.TryRemove(KeyValuePair.Create(snapshot.OrgId, snapshot));
                return false;
            }

            if (snapshot.Revision == OrganisationSnapshot.Unloaded)
            {
                LogLoaded(logger, snapshot.OrgId, delta.Members.Count, delta.Revision);
            }

            snapshot.Apply(delta);
            return true;
        }
        finally
        {
            snapshot.CatchUpLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded organisation {OrgId}: {Members} members at revision {Revision}")]
    private static partial void LogLoaded(ILogger logger, Guid orgId, int members, long revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Organisation {OrgId} was behind (revision {Revision} < {Current}) without an event; caught up")]
    private static partial void LogBehind(ILogger logger, Guid orgId, long revision, long current);
}
