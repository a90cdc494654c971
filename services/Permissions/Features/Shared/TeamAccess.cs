using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>Finding the actor and locking the organisation for a change.</summary>
public static class TeamAccess
{
    /// <summary>The actor as stored (tracked, for changes); null for a service token or a stranger.</summary>
    public static async Task<Member?> ActorAsync(this PermissionDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId || user.MemberId() is not { } memberId)
        {
            return null;
        }

        return await db.Members.SingleOrDefaultAsync(m => m.Id == memberId && m.OrgId == orgId, cancellationToken);
    }

    /// <summary>The actor when they may manage the team (<c>admin_settings</c>); null otherwise.</summary>
    public static async Task<Member?> TeamManagerAsync(this PermissionDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var actor = await db.ActorAsync(user, cancellationToken);
        return actor is not null && TeamPolicy.MayManageTeam(actor) ? actor : null;
    }

    /// <summary>The actor when they may manage members: a team manager, or a group admin within their groups; null otherwise.</summary>
    public static async Task<Member?> MemberManagerAsync(this PermissionDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var actor = await db.ActorAsync(user, cancellationToken);
        return TeamPolicy.EnsureMayManageMembers(actor) is null ? actor : null;
    }

    /// <summary>
    /// The members <paramref name="actor"/> may see (docs/permissions.md#group-admins): every member for a team manager; for
    /// a group admin, those whose access names one of their groups and every pending member.
    /// </summary>
    public static IQueryable<Member> VisibleTo(this IQueryable<Member> members, Member actor)
    {
        if (TeamPolicy.VisibleGroups(actor) is not { } groups)
        {
            return members;
        }

        var administered = groups.ToArray();
        return members.Where(m => m.Status == MemberStatus.PendingApproval || m.GroupIds.Any(g => administered.Contains(g)));
    }

    /// <summary>
    /// The audit entries <paramref name="actor"/> may read (docs/permissions.md#group-admins): every entry for a team manager;
    /// for a group admin, those that touch one of their groups.
    /// </summary>
    public static IQueryable<AuditEntry> VisibleTo(this IQueryable<AuditEntry> entries, Member actor)
    {
        if (TeamPolicy.VisibleGroups(actor) is not { } groups)
        {
            return entries;
        }

        var administered = groups.ToArray();
        return entries.Where(e => e.GroupsTouched.Any(g => administered.Contains(g)));
    }

    /// <summary>
    /// Locks the organisation's row until the transaction ends: every change of members, access, groups and
    /// visibility takes this lock first, so rules that count (auto-admin slots, the last admin) hold under races.
    /// </summary>
    public static async Task<Organisation?> LockOrganisationAsync(this PermissionDbContext db, Guid orgId, CancellationToken cancellationToken)
    {
        var rows = await db.Organisations
            .FromSql($"SELECT * FROM organisations WHERE id = {orgId} FOR UPDATE")
            .ToListAsync(cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>Creates the organisation's row if it is not there yet (the creator's registration may precede OrganisationCreated).</summary>
    public static Task EnsureOrganisationAsync(this PermissionDbContext db, Guid orgId, int autoAdminCount, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO organisations (id, auto_admin_count, auto_promoted, revision, created_at, settings_at,
                                       pending_members, active_members, blocked_members, removed_members, audit_sequence)
            VALUES ({orgId}, {Math.Max(1, autoAdminCount)}, 0, 0, {now}, {DateTimeOffset.UnixEpoch}, 0, 0, 0, 0, 0)
            ON CONFLICT (id) DO NOTHING
            """,
            cancellationToken);

    public static Task<int> ActiveAdminsAsync(this PermissionDbContext db, Guid orgId, CancellationToken cancellationToken) =>
        db.Members.CountAsync(m => m.OrgId == orgId && m.Status == MemberStatus.Active && m.IsAdmin, cancellationToken);

    /// <summary>The active admins whose admin access does not end by itself (<see cref="Member.IsLastingAdmin"/>).</summary>
    public static Task<int> LastingAdminsAsync(this PermissionDbContext db, Guid orgId, CancellationToken cancellationToken) =>
        db.Members.CountAsync(
            m => m.OrgId == orgId && m.Status == MemberStatus.Active && m.IsAdmin && (m.AccessExpiresAt == null || m.LapseIsAdmin),
            cancellationToken);

    /// <summary>Access names only groups the organisation has: refuses naming the first one it does not.</summary>
    public static async Task<Refusal?> CheckGroupsAsync(this PermissionDbContext db, Guid orgId, IEnumerable<Guid> groupIds, CancellationToken cancellationToken)
    {
        var wanted = groupIds.Distinct().ToList();
        return wanted.Count == 0 ? null : Group.FirstUnknown(wanted, await db.KnownGroupsAsync(orgId, wanted, cancellationToken));
    }

    /// <summary>Which of <paramref name="groupIds"/> the organisation has.</summary>
    public static async Task<IReadOnlySet<Guid>> KnownGroupsAsync(this PermissionDbContext db, Guid orgId, IEnumerable<Guid> groupIds, CancellationToken cancellationToken)
    {
        var wanted = groupIds.Distinct().ToList();
        return wanted.Count == 0
            ? new HashSet<Guid>()
            : (await db.Groups.Where(g => g.OrgId == orgId && wanted.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken)).ToHashSet();
    }

    /// <summary>The names of those of <paramref name="groupIds"/> the organisation has, for answers that speak of groups by name.</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> GroupNamesAsync(
        this PermissionDbContext db, Guid orgId, IEnumerable<Guid> groupIds, CancellationToken cancellationToken)
    {
        var wanted = groupIds.Distinct().ToList();
        return wanted.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Groups.AsNoTracking().Where(g => g.OrgId == orgId && wanted.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
    }
}
