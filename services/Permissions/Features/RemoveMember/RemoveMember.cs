using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;

namespace TeamPlatform.Permissions.Features.RemoveMember;

/// <summary>
/// <c>DELETE /api/members/{id}</c> — the member becomes <c>removed</c> (terminal; the phone may register again).
/// Removing a removed member again answers the current revision and changes nothing.
/// </summary>
public static class RemoveMemberEndpoint
{
    public static Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        write.RunAsync(user, TeamPolicy.EnsureMayManageTeam, (change, ct) => RemoveAsync(change, id, ct), cancellationToken);

    private static async Task<ChangeOutcome<RevisionResponse>> RemoveAsync(OrganisationChange change, Guid id, CancellationToken cancellationToken)
    {
        var (db, organisation, actor, now) = change;
        var target = await db.Members.SingleOrDefaultAsync(m => m.Id == id && m.OrgId == change.OrgId, cancellationToken);
        if (target is null)
        {
            return Problems.MemberNotFound;
        }

        var lastingAdmins = await db.LastingAdminsAsync(change.OrgId, cancellationToken);
        if (organisation.Remove(actor, target, lastingAdmins, now, out var removal) is { } refusal)
        {
            return refusal;
        }

        if (removal.Changed)
        {
            db.Record(organisation, AuditActions.Removed, removal, actor.Id, now);
            db.PublishAccessChanged(removal, actor.Id, now);
            db.AddOutboxEvent(new MemberRemoved(change.OrgId, target.Id, removal.Revision, actor.Id, now));
        }

        return new RevisionResponse(removal.Revision);
    }
}
