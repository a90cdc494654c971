using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Permissions.Features.CheckInvitation;

/// <summary>
/// <c>POST /internal/orgs/{orgId}/invitation-checks</c> — invitation, before creating one: may the actor preset
/// this access for a new member with this phone? Answers the access document as it will be applied.
/// </summary>
public static class CheckInvitationEndpoint
{
    public static async Task<Results<Ok<InvitationCheckResponse>, ProblemHttpResult>> HandleAsync(
        Guid orgId,
        InvitationCheckRequest request,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        var actor = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == request.ActorId && m.OrgId == orgId, cancellationToken);
        if (actor is null || TeamPolicy.EnsureMayManageMembers(actor) is not null)
        {
            return Problems.For(TeamPolicy.NotMemberManager);
        }

        if (!Phones.TryNormalize(request.Phone, out var phone))
        {
            return ApiProblem.Of(ErrorCodes.InvalidPhone, "phone must be a valid number in E.164.");
        }

        if (AccessDocument.Read(request.Access, out var document) is { } unreadable)
        {
            return Problems.For(unreadable);
        }

        if (document is null)
        {
            return ApiProblem.Validation("access is required.");
        }

        var knownGroups = await db.KnownGroupsAsync(orgId, document.ReferencedGroups(), cancellationToken);
        if (InvitationPolicy.CheckAccess(actor, document, knownGroups, out var access) is { } refusal)
        {
            return Problems.For(refusal);
        }

        if (await db.Members.AnyAsync(m => m.OrgId == orgId && m.Phone == phone && m.Status != MemberStatus.Removed, cancellationToken))
        {
            return ApiProblem.Of(ErrorCodes.AlreadyMember, InvitationPolicy.AlreadyMemberDetail);
        }

        return TypedResults.Ok(new InvitationCheckResponse(actor.Username, AccessDocument.From(access).ToJson()));
    }
}
