using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>Every access change leaves an audit entry and an event, in the transaction of the change.</summary>
public static class AccessChangeRecords
{
    public static void Record(
        this PermissionDbContext db, Organisation organisation, string action, AccessChange change, Guid? actorId, DateTimeOffset now, Guid? groupId = null) =>
        db.Audit(organisation, AuditEntry.Of(action, change, actorId, now, groupId));

    /// <summary>Chains <paramref name="entry"/> to the organisation's audit (its row locked by the caller) and stores it.</summary>
    public static void Audit(this PermissionDbContext db, Organisation organisation, AuditEntry entry) =>
        db.AuditEntries.AddRange(organisation.Audit(entry));

    /// <summary>The event carries what the member holds after the change, so that identity's copy needs no call to be current.</summary>
    /// <param name="actorId">The member who made the change; null for the system and for time-bound access that ended.</param>
    /// <param name="changedByKind">One of <see cref="ChangeKinds"/>; by default a member's when there is an actor, else the system's.</param>
    public static void PublishAccessChanged(
        this PermissionDbContext db, AccessChange change, Guid? actorId, DateTimeOffset now, string? changedByKind = null)
    {
        var kind = changedByKind ?? (actorId is null ? ChangeKinds.System : ChangeKinds.Member);
        var access = EffectiveAccess.Of(change.Member);
        db.AddOutboxEvent(new MemberAccessChanged(
            change.Member.OrgId,
            change.Member.Id,
            MemberStatusNames.NameOf(change.After.Status),
            MemberStatusNames.NameOf(change.Before.Status),
            change.After.IsAdmin,
            change.After.Role,
            change.Revision,
            actorId,
            now,
            access.GroupIds,
            access.Permissions,
            kind,
            change.LapseAfter?.At,
            access.GroupAdminOf));
    }
}
