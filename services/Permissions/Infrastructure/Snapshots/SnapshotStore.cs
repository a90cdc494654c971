using System.Data;
using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Infrastructure.Snapshots;

/// <summary>Where snapshots come from: what changed in an organisation since a revision.</summary>
public interface ISnapshotSource
{
    /// <summary>Everything that changed after <paramref name="revision"/> (everything, from <see cref="OrganisationSnapshot.Unloaded"/>); null when the organisation does not exist.</summary>
    Task<SnapshotDelta?> ChangesSinceAsync(Guid orgId, long revision, CancellationToken cancellationToken);

    /// <summary>The current revision of each organisation that exists.</summary>
    Task<Dictionary<Guid, long>> RevisionsAsync(IReadOnlyCollection<Guid> orgIds, CancellationToken cancellationToken);
}

/// <summary>Reads snapshots from the permission database.</summary>
public sealed class SnapshotStore(IServiceScopeFactory scopeFactory) : ISnapshotSource
{
    public async Task<SnapshotDelta?> ChangesSinceAsync(Guid orgId, long revision, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PermissionDbContext>();

        // Every change bumps the organisation's revision under its row lock and stamps the rows it touched
        // in the same transaction, so one repeatable-read snapshot gives a state that is exactly "as of" it.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var current = await db.Organisations.Where(o => o.Id == orgId).Select(o => (long?)o.Revision).SingleOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return null;
        }

        if (current <= revision)
        {
            return new SnapshotDelta(current.Value, [], []);
        }

        var rows = await db.Database
            .SqlQuery<MemberRow>($"SELECT id, status, access::text AS access, revision, access_expires_at, lapse_status, lapse_access::text AS lapse_access FROM members WHERE org_id = {orgId} AND revision > {revision}")
            .ToListAsync(cancellationToken);
        var conversations = await db.ConversationVisibilities.AsNoTracking()
            .Where(v => v.OrgId == orgId && v.Revision > revision)
            .Select(v => new { v.ConversationId, v.Mode, v.MemberIds })
            .ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Most members share one of a few access documents: read each distinct one once.
        var accesses = new Dictionary<string, Access>(StringComparer.Ordinal);
        var members = rows.Select(row =>
        {
            if (!accesses.TryGetValue(row.Access, out var access))
            {
                access = AccessStorage.Read(row.Access);
                accesses[row.Access] = access;
            }

            var lapse = row is { AccessExpiresAt: { } at, LapseStatus: { } status, LapseAccess: { } then }
                ? new AccessLapse(at, new MemberState(MemberStatusNames.Parse(status), AccessStorage.Read(then)))
                : null;
            return MemberGrant.Of(row.Id, MemberStatusNames.Parse(row.Status), access, row.Revision, lapse);
        }).ToList();

        return new SnapshotDelta(
            current.Value,
            members,
            conversations.Select(c => KeyValuePair.Create(
                c.ConversationId,
                c.Mode is { } mode ? new ConversationOverride(mode, c.MemberIds.ToFrozenSet()) : null)).ToList());
    }

    public async Task<Dictionary<Guid, long>> RevisionsAsync(IReadOnlyCollection<Guid> orgIds, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PermissionDbContext>();
        return await db.Organisations.Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Revision, cancellationToken);
    }

    private sealed record MemberRow(
        Guid Id, string Status, string Access, long Revision, DateTimeOffset? AccessExpiresAt, string? LapseStatus, string? LapseAccess);
}
