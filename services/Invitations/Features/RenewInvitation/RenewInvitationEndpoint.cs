using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Invitations.Features.RenewInvitation;

/// <summary>
/// <c>POST /api/invitations/{id}/renew</c>: an expired invitation gets another <c>inviteTtlDays</c> from now and a
/// new token (the old link dies), and is delivered again. The renewer must be allowed to issue it themselves
/// (decision 0302), so the permission service checks the preset access against them.
/// </summary>
public static class RenewInvitationEndpoint
{
    public static async Task<Results<Ok<InvitationResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        InvitationDbContext db,
        PermissionClient permission,
        InvitationTokens tokens,
        InvitationLinks links,
        InvitationViews views,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = user.Actor()!.Value;
        var current = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.OrgId == actor.OrgId, cancellationToken);
        if (current is null)
        {
            return Problems.InvitationNotFound;
        }

        // Refuse what cannot be renewed before asking anyone anything; the transaction below decides for good.
        if (current.EnsureRenewable(time.GetUtcNow()) is { } notRenewable)
        {
            return Problems.ForAdmin(notRenewable);
        }

        var check = await permission.CheckInvitationAsync(
            actor.OrgId, new InvitationCheckRequest(actor.MemberId, current.Phone, InvitationViews.ParseAccess(current.Access)), cancellationToken);
        if (check.Refusal is { } refusal)
        {
            return refusal.ToProblem();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await db.LockAsync(actor.OrgId, id, cancellationToken);
        if (invitation is null)
        {
            return Problems.InvitationNotFound;
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == actor.OrgId, cancellationToken);
        var now = time.GetUtcNow();
        var (token, stored) = tokens.Issue();
        if (invitation.Renew(stored, organisation.InviteTtlDays, actor.MemberId, now) is { } conflict)
        {
            return Problems.ForAdmin(conflict);
        }

        db.AddOutboxCommand(Delivery.SendInvitation(invitation, organisation, links.For(token), now), CommandQueues.Notification);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(views.Present(invitation));
    }
}
