using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.RemoveMember;

public sealed record RevisionResponse(long Revision);

/// <summary>
/// <c>DELETE /api/members/{id}</c> — the member becomes <c>removed</c> (terminal; the phone may register again).
/// Removing a removed member again answers the current revision and changes nothing.
/// </summary>
public static class RemoveMemberEndpoint
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
            return ApiProblem.Forbidden("Removing members needs a member's token.");
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = await db.LockOrganisationAsync(orgId, cancellationToken);
        var actor = await db.CallerAsync(user, cancellationToken);
        if (organisation is null || actor is null || !TeamPolicy.MayManageTeam(actor))
        {
            return ApiProblem.Forbidden("Removing members needs admin_settings.");
        }

        var target = await db.Members.SingleOrDefaultAsync(m => m.Id == id && m.OrgId == orgId, cancellationToken);
        if (target is null)
        {
            return ApiProblem.NotFound("The member");
        }

        var change = organisation.Remove(actor, target, await db.ActiveAdminsAsync(orgId, cancellationToken), now);
        if (change.Changed)
        {
            db.Record(AuditActions.Removed, change, actor.Id, now);
            db.PublishAccessChanged(change, actor.Id, now);
            db.AddOutboxEvent(new MemberRemoved(orgId, target.Id, change.Revision, actor.Id, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.NotifyAsync(orgId, change.Revision, cancellationToken);
        return TypedResults.Ok(new RevisionResponse(change.Revision));
    }
}
