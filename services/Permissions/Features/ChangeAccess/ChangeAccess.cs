using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.ChangeAccess;

public sealed record ChangeAccessResponse(MemberView Member, long Revision);

/// <summary>
/// <c>PUT /api/members/{id}/access</c> — approve (a pending member becomes active), change a role or the admin
/// toggle, block (<c>none</c>) or unblock. Under the organisation's lock: the escalation and last-admin rules
/// see every concurrent change that committed before.
/// </summary>
public static class ChangeAccessEndpoint
{
    public static async Task<Results<Ok<ChangeAccessResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        AccessDocument document,
        ClaimsPrincipal user,
        PermissionDbContext db,
        SnapshotCache snapshots,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId)
        {
            return ApiProblem.Forbidden("Changing access needs a member's token.");
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = await db.LockOrganisationAsync(orgId, cancellationToken);
        var actor = await db.CallerAsync(user, cancellationToken);
        if (organisation is null || actor is null || !TeamPolicy.MayManageTeam(actor))
        {
            return ApiProblem.Forbidden("Changing access needs admin_settings.");
        }

        var target = await db.Members.SingleOrDefaultAsync(m => m.Id == id && m.OrgId == orgId, cancellationToken);
        if (target is null)
        {
            return ApiProblem.NotFound("The member");
        }

        var unknown = await db.UnknownGroupsAsync(orgId, document.ReferencedGroups(), cancellationToken);
        if (unknown.Count > 0)
        {
            return ApiProblem.Validation($"Unknown group {unknown[0]}.");
        }

        var activeAdmins = await db.ActiveAdminsAsync(orgId, cancellationToken);
        var change = organisation.ChangeAccess(actor, target, document, activeAdmins, now);
        if (change.Changed)
        {
            db.Record(AuditActions.AccessChanged, change, actor.Id, now);
            db.PublishAccessChanged(change, actor.Id, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.NotifyAsync(orgId, change.Revision, cancellationToken);
        return TypedResults.Ok(new ChangeAccessResponse(MemberView.From(target), change.Revision));
    }
}
