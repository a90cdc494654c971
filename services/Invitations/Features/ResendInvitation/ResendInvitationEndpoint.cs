using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Messaging;

namespace TeamPlatform.Invitations.Features.ResendInvitation;

/// <summary><c>POST /api/invitations/{id}/resend</c>: delivers the same link again; only a pending invitation.</summary>
public static class ResendInvitationEndpoint
{
    public static async Task<Results<Accepted, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        InvitationDbContext db,
        InvitationViews views,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var orgId = user.Actor()!.Value.OrgId;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked, so that a revocation or acceptance at the same instant cannot be followed by a dead link.
        var invitation = await db.LockAsync(orgId, id, cancellationToken);
        if (invitation is null)
        {
            return Problems.InvitationNotFound;
        }

        var now = time.GetUtcNow();
        if (invitation.EnsurePending(now) is { } refusal)
        {
            return Problems.ForAdmin(refusal);
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == orgId, cancellationToken);
        db.AddOutboxCommand(Delivery.SendInvitation(invitation, organisation, views.LinkOf(invitation)!, now), CommandQueues.Notification);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
