using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.ListMembers;

/// <summary>
/// <c>GET /api/members?status=&amp;role=&amp;groupId=&amp;q=&amp;page=&amp;pageSize=</c> — the team list (docs/product.md#team-management). Removed
/// members are listed only when asked for (<c>status=removed</c>). <c>q</c> matches any part of a username
/// (case-insensitive) or phone, through trigram indexes.
/// </summary>
public static class ListMembersEndpoint
{
    public const int MaxQueryLength = 100;

    public static async Task<Results<Ok<Paged<MemberView>>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionDbContext db,
        [FromQuery] string? status,
        [FromQuery] string? role,
        [FromQuery] Guid? groupId,
        [FromQuery] string? q,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        CancellationToken cancellationToken)
    {
        if (Paging.Validate(page, pageSize, out var validPage, out var validPageSize) is { } pagingError)
        {
            return ApiProblem.Validation(pagingError);
        }

        MemberStatus? wantedStatus = null;
        if (status is not null)
        {
            if (!MemberStatusNames.TryParse(status, out var parsed))
            {
                return ApiProblem.Validation("status must be pending_approval, active, blocked or removed.");
            }

            wantedStatus = parsed;
        }

        if (role is not null && !Roles.All.Contains(role))
        {
            return ApiProblem.Validation($"role must be one of {string.Join(", ", Roles.All)}.");
        }

        if (q is { Length: > MaxQueryLength })
        {
            return ApiProblem.Validation($"q is at most {MaxQueryLength} characters.");
        }

        if (await db.TeamManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotTeamManager);
        }

        var members = db.Members.AsNoTracking().Where(m => m.OrgId == actor.OrgId);
        members = wantedStatus is { } only
            ? members.Where(m => m.Status == only)
            : members.Where(m => m.Status != MemberStatus.Removed);
        if (role is not null)
        {
            members = members.Where(m => m.Role == role);
        }

        if (groupId is { } group)
        {
            members = members.Where(m => m.GroupIds.Contains(group));
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = Like(q.Trim());
            var digits = Like(string.Concat(q.Where(c => c is not (' ' or '-'))));
            members = members.Where(m => EF.Functions.ILike(m.Username, text, "\\") || EF.Functions.Like(m.Phone, digits, "\\"));
        }

        var items = await members
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Skip((validPage - 1) * validPageSize)
            .Take(validPageSize)
            .ToListAsync(cancellationToken);
        // A page that is not full ends the list, so it tells the total (a search for one person reads its matches once).
        // Otherwise, without a filter, the organisation's counters say how many there are: no count over every member.
        var endsTheList = items.Count < validPageSize && (items.Count > 0 || validPage == 1);
        var total = endsTheList
            ? (validPage - 1) * validPageSize + items.Count
            : role is null && groupId is null && string.IsNullOrWhiteSpace(q)
                ? await CountByStatusAsync(db, actor.OrgId, wantedStatus, cancellationToken)
                : await members.CountAsync(cancellationToken);
        return TypedResults.Ok(new Paged<MemberView>(items.Select(MemberView.From).ToList(), total, validPage, validPageSize));
    }

    private static async Task<int> CountByStatusAsync(PermissionDbContext db, Guid orgId, MemberStatus? status, CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == orgId, cancellationToken);
        return status is { } only
            ? organisation.MembersWith(only)
            : organisation.PendingMembers + organisation.ActiveMembers + organisation.BlockedMembers;
    }

    private static string Like(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
