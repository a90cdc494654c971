using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.GetMember;

/// <summary>
/// <c>GET /api/members/{id}</c> — one member of the actor's organisation; another organisation's id is 404, and so is a
/// member outside a group admin's groups.
/// </summary>
public static class GetMemberEndpoint
{
    public static async Task<Results<Ok<MemberView>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        if (await db.MemberManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotMemberManager);
        }

        // A group admin does not learn that a member outside their groups exists.
        var member = await db.Members.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(m => m.Id == id && m.OrgId == actor.OrgId, cancellationToken);
        return member is null ? ApiProblem.NotFound("The member") : TypedResults.Ok(MemberView.From(member));
    }
}
