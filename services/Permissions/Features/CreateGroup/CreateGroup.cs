using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Features.ListGroups;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.CreateGroup;

public sealed record CreateGroupRequest(string? Name);

/// <summary><c>POST /api/groups</c> — <c>{name}</c> → <c>201</c>; a name the organisation already has (any case) is <c>409 conflict</c>.</summary>
public static class CreateGroupEndpoint
{
    public static async Task<Results<Created<GroupView>, ProblemHttpResult>> HandleAsync(
        CreateGroupRequest request,
        ClaimsPrincipal user,
        PermissionDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId)
        {
            return ApiProblem.Forbidden("Creating groups needs a member's token.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = await db.LockOrganisationAsync(orgId, cancellationToken);
        var actor = await db.CallerAsync(user, cancellationToken);
        if (organisation is null || actor is null)
        {
            return ApiProblem.Forbidden("Creating groups needs admin_settings.");
        }

        var group = organisation.CreateGroup(actor, request.Name ?? "", time.GetUtcNow());
        if (await db.Groups.AnyAsync(g => g.OrgId == orgId && g.NameKey == group.NameKey, cancellationToken))
        {
            return ApiProblem.Of(ErrorCodes.Conflict, "The organisation already has a group with this name.");
        }

        db.Groups.Add(group);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/groups/{group.Id}", GroupView.From(group));
    }
}
