using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Invitations.Features.CreateInvitation;

/// <summary>
/// <c>POST /api/invitations</c>: invites a phone with preset access. The permission service decides whether the
/// actor may (admin_settings, no escalation, not already a member); inviting a phone that has an open invitation
/// replaces it (decision 0301).
/// </summary>
public static class CreateInvitationEndpoint
{
    public static async Task<Results<Created<InvitationResponse>, ProblemHttpResult>> HandleAsync(
        CreateInvitationRequest request,
        ClaimsPrincipal user,
        HttpContext http,
        InvitationDbContext db,
        PermissionClient permission,
        NewInvitations invitations,
        InvitationViews views,
        InvitationMetrics metrics,
        CancellationToken cancellationToken)
    {
        if (user.Actor() is not { } actor)
        {
            return ApiProblem.Forbidden("Invitations are sent by members of an organisation.");
        }

        Phones.TryNormalize(request.Phone, out var phone);
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();

        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == actor.OrgId, cancellationToken);
        if (organisation is null)
        {
            // The organisation exists (the actor holds a token for it), but identity's event has not arrived yet.
            http.Response.Headers.RetryAfter = "2";
            return ApiProblem.Of(ErrorCodes.ServiceUnavailable, "This organisation is not known to the invitation service yet; try again in a moment.", 503);
        }

        var check = await permission.CheckInvitationAsync(
            actor.OrgId, new InvitationCheckRequest(actor.MemberId, phone, request.Access), cancellationToken);
        if (check.Refusal is { } refusal)
        {
            return refusal.ToProblem();
        }

        var grant = check.Value!;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await invitations.IssueAsync(
            db, organisation, actor.MemberId, grant.InviterUsername, phone, email, grant.Access, replaceOpen: true, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Sent(InvitationMetrics.OneInvitation);
        return TypedResults.Created($"/api/invitations/{invitation!.Id}", views.Present(invitation));
    }
}
