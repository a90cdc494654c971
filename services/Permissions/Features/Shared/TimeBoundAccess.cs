using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>
/// Records the end of time-bound access (docs/permissions.md#time-bound-access). Checks already answer by the clock;
/// this makes the lapse an access change like any other: its own revision, an audit entry (<c>access_expired</c>, no
/// actor) and <c>MemberAccessChanged</c> with <c>changedByKind</c> <c>expiry</c>, which tells the member and, for a
/// lapse to blocked, makes identity revoke their sessions.
/// </summary>
public static class TimeBoundAccess
{
    /// <summary>
    /// Ends every time-bound access of the organisation that has run out at <paramref name="now"/>. The caller holds the
    /// organisation's lock and saves: every change of an organisation does this first, so no rule ever reads access
    /// that has ended.
    /// </summary>
    public static async Task<int> EndDueAsync(this PermissionDbContext db, Organisation organisation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await db.Members
            .Where(m => m.OrgId == organisation.Id && m.AccessExpiresAt != null && m.AccessExpiresAt <= now)
            .OrderBy(m => m.AccessExpiresAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        foreach (var member in due)
        {
            var change = organisation.EndTimeBoundAccess(member, now);
            db.Record(organisation, AuditActions.AccessExpired, change, actorId: null, now);
            db.PublishAccessChanged(change, actorId: null, now, ChangeKinds.Expiry);
        }

        return due.Count;
    }
}
