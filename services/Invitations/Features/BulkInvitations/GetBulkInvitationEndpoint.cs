using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Invitations.Features.BulkInvitations;

/// <summary><c>GET /api/invitations/bulk/{id}</c>: a bulk invitation's status, counts and every row's result.</summary>
public static class GetBulkInvitationEndpoint
{
    public static async Task<Results<Ok<BulkInvitationResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, InvitationDbContext db, CancellationToken cancellationToken)
    {
        var orgId = user.Actor()!.Value.OrgId;
        var bulk = await db.BulkInvitations.AsNoTracking()
            .Include(b => b.Rows)
            .SingleOrDefaultAsync(b => b.Id == id && b.OrgId == orgId, cancellationToken);
        return bulk is null ? ApiProblem.NotFound("The bulk invitation") : TypedResults.Ok(BulkInvitationResponse.Of(bulk));
    }
}
