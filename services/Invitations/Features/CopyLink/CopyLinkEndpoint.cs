using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Invitations.Infrastructure;

namespace TeamPlatform.Invitations.Features.CopyLink;

public sealed record LinkResponse(string Link);

/// <summary>
/// <c>GET /api/invitations/{id}/link</c>: the link of a pending invitation, to send it some other way.
/// The same link every time: the token is decrypted, not reissued.
/// </summary>
public static class CopyLinkEndpoint
{
    public static async Task<Results<Ok<LinkResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        InvitationDbContext db,
        InvitationViews views,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var orgId = user.Actor()!.Value.OrgId;
        var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.OrgId == orgId, cancellationToken);
        if (invitation is null)
        {
            return Problems.InvitationNotFound;
        }

        if (invitation.EnsurePending(time.GetUtcNow()) is { } refusal)
        {
            return Problems.ForAdmin(refusal);
        }

        return TypedResults.Ok(new LinkResponse(views.LinkOf(invitation)!));
    }
}
