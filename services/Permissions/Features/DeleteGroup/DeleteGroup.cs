using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;

namespace TeamPlatform.Permissions.Features.DeleteGroup;

/// <summary>
/// <c>DELETE /api/groups/{id}</c> — strips the group from every grant that names it (each member's change
/// audited and published as <c>MemberAccessChanged</c>), in one new revision, and publishes <c>GroupDeleted</c>. A staff
/// member whose last group goes keeps no inbox access: deleting a group never widens anyone's access.
/// </summary>
public static class DeleteGroupEndpoint
{
    public static Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        write.RunAsync(user, TeamPolicy.EnsureMayManageTeam, (change, ct) => DeleteAsync(change, id, ct), cancellationToken);

    private static async Task<ChangeOutcome<RevisionResponse>> DeleteAsync(OrganisationChange change, Guid id, CancellationToken cancellationToken)
    {
        var (db, organisation, actor, now) = change;
        var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == id && g.OrgId == change.OrgId, cancellationToken);
        if (group is null)
        {
            return Problems.GroupNotFound;
        }

        // Time-bound access may name the group only in what follows it: those few members are read too.
        var holders = await db.Members
            .Where(m => m.OrgId == change.OrgId && (m.GroupIds.Contains(id) || m.AccessExpiresAt != null))
            .ToListAsync(cancellationToken);
        if (organisation.DeleteGroup(actor, group, holders, now, out var stripped) is { } refusal)
        {
            return refusal;
        }

        foreach (var accessChange in stripped)
        {
            db.Record(organisation, AuditActions.GroupDeleted, accessChange, actor.Id, now, group.Id);
            db.PublishAccessChanged(accessChange, actor.Id, now);
        }

        db.Groups.Remove(group);
        db.AddOutboxEvent(new GroupDeleted(change.OrgId, group.Id, organisation.Revision, now));
        return new RevisionResponse(organisation.Revision);
    }
}
