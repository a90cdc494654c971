using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Infrastructure;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Invitations.Features.PreviewInvitation;

/// <param name="OrganisationSlug">Where to register: <c>POST /api/orgs/{slug}/registrations</c> with the token.</param>
/// <param name="Phone">Masked: whoever holds the link learns only which number it is for, not the number.</param>
public sealed record InvitationPreview(
    string OrganisationName,
    string OrganisationSlug,
    string InviterUsername,
    string Phone,
    DateTimeOffset ExpiresAt,
    InvitationStatus Status);

/// <summary>
/// <c>GET /api/invitations/preview/{token}</c>, anonymous: what an invitee sees on opening the link, before
/// having any account.
/// </summary>
public static class PreviewInvitationEndpoint
{
    public const string Segment = "/preview";

    public static RouteHandlerBuilder MapPreviewInvitation(this IEndpointRouteBuilder routes) =>
        routes.MapGet(Segment + "/{token}", HandleAsync)
            .AllowAnonymous()
            .WithName("PreviewInvitation")
            .WithSummary("What an invitation link is for (anonymous)");

    public static async Task<Results<Ok<InvitationPreview>, ProblemHttpResult>> HandleAsync(
        string token,
        InvitationDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!InvitationTokens.TryHash(token, out var hash))
        {
            return Problems.InvitationNotFound;
        }

        var found = await db.Invitations.AsNoTracking()
            .Where(i => i.TokenHash == hash)
            .Join(db.Organisations, i => i.OrgId, o => o.Id, (invitation, organisation) => new { invitation, organisation })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problems.InvitationNotFound;
        }

        var (invitation, organisation) = (found.invitation, found.organisation);
        return TypedResults.Ok(new InvitationPreview(
            organisation.Name,
            organisation.Slug,
            invitation.InviterUsername,
            Phones.Mask(invitation.Phone),
            invitation.ExpiresAt,
            invitation.StatusAt(time.GetUtcNow())));
    }
}
