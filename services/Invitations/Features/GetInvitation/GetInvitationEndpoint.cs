using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Invitations.Infrastructure;

namespace TeamPlatform.Invitations.Features.GetInvitation;

/// <summary><c>GET /api/invitations/{id}</c>: one invitation (where <c>201 Created</c> points).</summary>
public static class GetInvitationEndpoint
{
    public static async Task<Results<Ok<InvitationResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        InvitationDbContext db,
        InvitationViews views,
        CancellationToken cancellationToken)
    {
        var orgId = user.Actor()!.Value.OrgId;
        var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.OrgId == orgId, cancellationToken);
        return invitation is null ? Problems.InvitationNotFound : TypedResults.Ok(views.Present(invitation));
    }
}
