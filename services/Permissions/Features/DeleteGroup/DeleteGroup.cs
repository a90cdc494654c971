using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.RemoveMember;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.DeleteGroup;

/// <summary>
/// <c>DELETE /api/groups/{id}</c> — strips the group from every grant that names it (each member's change
/// audited), in one new revision, and publishes <c>GroupDeleted</c>. A staff member whose last group goes keeps
/// no inbox access: deleting a group never widens anyone's access.
/// </summary>
public static class DeleteGroupEndpoint
{
    public static async Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        PermissionDbContext db,
        SnapshotCache snapshots,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId)
        {
            return ApiProblem.Forbidden("Deleting groups needs a member's token.");
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = await db.LockOrganisationAsync(orgId, cancellationToken);
        var actor = await db.CallerAsync(user, cancellationToken);
        if (organisation is null || actor is null || !TeamPolicy.MayManageTeam(actor))
        {
            return ApiProblem.Forbidden("Deleting groups needs admin_settings.");
        }

        var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == id && g.OrgId == orgId, cancellationToken);
        if (group is null)
        {
            return ApiProblem.NotFound("The group");
        }

        var holders = await db.Members.Where(m => m.OrgId == orgId && m.GroupIds.Contains(id)).ToListAsync(cancellationToken);
        var changes = organisation.DeleteGroup(actor, group, holders, now);
        foreach (var change in changes)
        {
            db.Record(AuditActions.GroupDeleted, change, actor.Id, now, group.Id);
        }

        db.Groups.Remove(group);
        db.AddOutboxEvent(new GroupDeleted(orgId, group.Id, organisation.Revision, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.NotifyAsync(orgId, organisation.Revision, cancellationToken);
        return TypedResults.Ok(new RevisionResponse(organisation.Revision));
    }
}
