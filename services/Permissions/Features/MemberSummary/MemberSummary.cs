using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Features.MemberSummary;

/// <summary>Counts by status (how many wait for approval) and how many active admins there are.</summary>
public sealed record MemberSummaryResponse(int PendingApproval, int Active, int Blocked, int Removed, int Admins);

/// <summary><c>GET /api/members/summary</c>.</summary>
public static class MemberSummaryEndpoint
{
    public static async Task<Results<Ok<MemberSummaryResponse>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        if (await db.TeamManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotTeamManager);
        }

        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == actor.OrgId, cancellationToken);
        var admins = await db.ActiveAdminsAsync(actor.OrgId, cancellationToken);
        return TypedResults.Ok(new MemberSummaryResponse(
            organisation.PendingMembers,
            organisation.ActiveMembers,
            organisation.BlockedMembers,
            organisation.RemovedMembers,
            admins));
    }
}
