using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.ListGroups;

/// <summary>
/// <c>GET /api/groups</c> — every member may read the organisation's groups, by name. <c>q</c> keeps the groups with a
/// word of the name starting with it (a picker in an organisation of a thousand groups asks for a few at a time);
/// <c>ids</c> asks for named groups (the names of the groups a page of members holds).
/// </summary>
public static class ListGroupsEndpoint
{
    public const int MaxIds = 100;

    public static async Task<Results<Ok<Paged<GroupView>>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionDbContext db,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        [FromQuery] string? q,
        [FromQuery] Guid[]? ids,
        CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId)
        {
            return ApiProblem.Forbidden("Groups are listed to members of the organisation.");
        }

        if (Paging.Validate(page, pageSize, out var validPage, out var validPageSize) is { } pagingError)
        {
            return ApiProblem.Validation(pagingError);
        }

        if (ids is { Length: > MaxIds })
        {
            return ApiProblem.Validation($"ids may name at most {MaxIds} groups.");
        }

        var groups = db.Groups.AsNoTracking().Where(g => g.OrgId == orgId);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var start = Group.KeyOf(q);
            var wordStart = " " + start;
            groups = groups.Where(g => g.NameKey.StartsWith(start) || g.NameKey.Contains(wordStart));
        }

        if (ids is { Length: > 0 })
        {
            groups = groups.Where(g => ids.Contains(g.Id));
        }

        var total = await groups.CountAsync(cancellationToken);
        var items = await groups.OrderBy(g => g.NameKey).ThenBy(g => g.Id)
            .Skip((validPage - 1) * validPageSize).Take(validPageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<GroupView>(items.Select(GroupView.From).ToList(), total, validPage, validPageSize));
    }
}
