using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.GetMember;

/// <summary><c>GET /api/members/{id}</c> — one member of the actor's organisation; another organisation's id is 404.</summary>
public static class GetMemberEndpoint
{
    public static async Task<Results<Ok<MemberView>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        if (await db.TeamManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotTeamManager);
        }

        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id && m.OrgId == actor.OrgId, cancellationToken);
        return member is null ? ApiProblem.NotFound("The member") : TypedResults.Ok(MemberView.From(member));
    }
}
