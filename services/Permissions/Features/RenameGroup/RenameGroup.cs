using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Features.ListGroups;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.RenameGroup;

public sealed record RenameGroupRequest(string? Name);

/// <summary>
/// <c>PATCH /api/groups/{id}</c> — <c>{name}</c> → <c>200</c> with the group; a name another group of the organisation
/// has (any case) is <c>409 conflict</c>. Grants name groups by id, so no access changes and no revision is taken.
/// </summary>
public static class RenameGroupEndpoint
{
    public static async Task<Results<Ok<GroupView>, ProblemHttpResult>> HandleAsync(
        Guid id,
        RenameGroupRequest request,
        ClaimsPrincipal user,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId)
        {
            return ApiProblem.Forbidden("Renaming groups needs a member's token.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = await db.LockOrganisationAsync(orgId, cancellationToken);
        var actor = await db.CallerAsync(user, cancellationToken);
        if (organisation is null || actor is null)
        {
            return ApiProblem.Forbidden("Renaming groups needs admin_settings.");
        }

        var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == id && g.OrgId == orgId, cancellationToken);
        if (group is null)
        {
            return ApiProblem.NotFound("The group");
        }

        organisation.RenameGroup(actor, group, request.Name ?? "");
        if (await db.Groups.AnyAsync(g => g.OrgId == orgId && g.NameKey == group.NameKey && g.Id != group.Id, cancellationToken))
        {
            return ApiProblem.Of(ErrorCodes.Conflict, "The organisation already has a group with this name.");
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(GroupView.From(group));
    }
}
