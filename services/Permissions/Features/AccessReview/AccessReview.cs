using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.AccessReview;

/// <summary>
/// <c>GET /api/access-review?format=csv</c> — who holds which permission now (docs/permissions.md#exports): one row per
/// active member, permission and group (or every group, or a level, or on), with the member's full phone as the member
/// list shows it to team managers, since when (the member's last access change) and by whom (its audit entry's actor).
/// Members are read in batches by join date, each batch written before the next is read, so an organisation of any
/// size is exported in the memory of one batch.
/// </summary>
public static class AccessReviewEndpoint
{
    public const int Batch = 500;

    public static readonly IReadOnlyList<string> CsvHeader =
    [
        "memberId", "username", "phone", "role", "isAdmin", "permission", "scopeOrLevel", "groupId", "groupName", "since", "grantedBy",
    ];

    public static async Task<Results<CsvExport, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionDbContext db,
        [FromQuery] string? format,
        CancellationToken cancellationToken)
    {
        if (format != "csv")
        {
            return ApiProblem.Validation("format=csv is required: the access review is a CSV export.");
        }

        if (await db.TeamManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotTeamManager);
        }

        return new CsvExport("access-review.csv", CsvHeader, (rows, ct) => WriteAsync(db, actor.OrgId, rows, ct));
    }

    private static async Task WriteAsync(PermissionDbContext db, Guid orgId, CsvExport.Rows rows, CancellationToken cancellationToken)
    {
        var groupNames = await db.Groups.AsNoTracking().Where(g => g.OrgId == orgId).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var actorNames = new Dictionary<Guid, string>();
        var fields = new string?[CsvHeader.Count];
        var active = db.Members.AsNoTracking().Where(m => m.OrgId == orgId && m.Status == MemberStatus.Active);
        (DateTimeOffset JoinedAt, Guid Id)? after = null;
        while (true)
        {
            var page = after is { } cursor
                ? active.Where(m => EF.Functions.GreaterThan(ValueTuple.Create(m.CreatedAt, m.Id), ValueTuple.Create(cursor.JoinedAt, cursor.Id)))
                : active;
            var members = await page.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Take(Batch).ToListAsync(cancellationToken);
            if (members.Count == 0)
            {
                return;
            }

            after = (members[^1].CreatedAt, members[^1].Id);
            var grantedBy = await GrantorsAsync(db, orgId, members, actorNames, cancellationToken);
            foreach (var member in members)
            {
                fields[0] = CsvExport.Id(member.Id);
                fields[1] = CsvExport.Text(member.Username);
                fields[2] = member.Phone;
                fields[3] = member.Role;
                fields[4] = member.IsAdmin ? "true" : "false";
                fields[9] = CsvExport.Instant(member.UpdatedAt);
                fields[10] = CsvExport.Text(grantedBy.GetValueOrDefault(member.Id));
                foreach (var (permission, scopeOrLevel, group) in GrantsOf(member.EffectivePermissions, groupNames))
                {
                    fields[5] = permission;
                    fields[6] = scopeOrLevel;
                    fields[7] = CsvExport.Id(group);
                    fields[8] = group is { } id ? CsvExport.Text(groupNames.GetValueOrDefault(id)) : null;
                    await rows.WriteAsync(fields, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// Each permission the set grants, in catalogue order: a group-scoped one as <c>all</c> or once per group (by name),
    /// a level as <c>view</c> or <c>create</c>, a toggle as <c>on</c>.
    /// </summary>
    public static IEnumerable<(string Permission, string ScopeOrLevel, Guid? GroupId)> GrantsOf(PermissionSet set, IReadOnlyDictionary<Guid, string> groupNames)
    {
        foreach (var permission in Catalogue.All.Where(set.Grants))
        {
            var name = Catalogue.NameOf(permission);
            switch (Catalogue.KindOf(permission))
            {
                case PermissionKind.GroupScoped when set.Scope(permission).Scope == GroupScope.All:
                    yield return (name, "all", null);
                    break;
                case PermissionKind.GroupScoped:
                    foreach (var group in set.Scope(permission).Groups.OrderBy(g => groupNames.GetValueOrDefault(g), StringComparer.OrdinalIgnoreCase).ThenBy(g => g))
                    {
                        yield return (name, "groups", group);
                    }

                    break;
                case PermissionKind.Level:
                    yield return (name, set.LevelOf(permission) == Level.Create ? "create" : "view", null);
                    break;
                default:
                    yield return (name, "on", null);
                    break;
            }
        }
    }

    /// <summary>
    /// The username of whoever made each member's last access change: the actor of the audit entry of the member's
    /// current revision (none for a change the system made, such as a self-registration).
    /// </summary>
    // Gathered facts (a sign-in) carry the organisation's revision too, but change nobody's access.
    private static readonly string[] AccessActions = [AuditActions.Registered, AuditActions.AccessChanged, AuditActions.GroupDeleted];

    private static async Task<Dictionary<Guid, string>> GrantorsAsync(
        PermissionDbContext db, Guid orgId, List<Member> members, Dictionary<Guid, string> actorNames, CancellationToken cancellationToken)
    {
        var ids = members.Select(m => (Guid?)m.Id).ToList();
        var revisions = members.Select(m => m.Revision).Distinct().ToList();
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(e => e.OrgId == orgId && ids.Contains(e.MemberId) && revisions.Contains(e.Revision) && e.ActorId != null
                && AccessActions.Contains(e.Action))
            .Select(e => new { MemberId = e.MemberId!.Value, e.Revision, ActorId = e.ActorId!.Value, e.Sequence })
            .ToListAsync(cancellationToken);
        var revisionOf = members.ToDictionary(m => m.Id, m => m.Revision);
        var actorOf = entries.Where(e => revisionOf[e.MemberId] == e.Revision)
            .GroupBy(e => e.MemberId)
            .ToDictionary(g => g.Key, g => g.MaxBy(e => e.Sequence)!.ActorId);

        var unknown = actorOf.Values.Where(a => !actorNames.ContainsKey(a)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            foreach (var (id, username) in await db.Members.AsNoTracking()
                .Where(m => m.OrgId == orgId && unknown.Contains(m.Id))
                .Select(m => new { m.Id, m.Username })
                .ToDictionaryAsync(m => m.Id, m => m.Username, cancellationToken))
            {
                actorNames[id] = username;
            }
        }

        return actorOf.Where(a => actorNames.ContainsKey(a.Value)).ToDictionary(a => a.Key, a => actorNames[a.Value]);
    }
}
