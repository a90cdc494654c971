using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Invitations.Infrastructure;

namespace TeamPlatform.Invitations.Features.RevokeInvitation;

/// <summary><c>DELETE /api/invitations/{id}</c>: revokes an open invitation; its link stops working at once.</summary>
public static class RevokeInvitationEndpoint
{
    public static async Task<Results<Ok<InvitationResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        InvitationDbContext db,
        InvitationViews views,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = user.Actor()!.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked: an acceptance at the same instant either happened before (409) or finds it revoked.
        var invitation = await db.LockAsync(actor.OrgId, id, cancellationToken);
        if (invitation is null)
        {
            return Problems.InvitationNotFound;
        }

        if (invitation.Revoke(actor.MemberId, time.GetUtcNow()) is { } refusal)
        {
            return Problems.ForAdmin(refusal);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(views.Present(invitation));
    }
}
