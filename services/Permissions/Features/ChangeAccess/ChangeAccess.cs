using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;

namespace TeamPlatform.Permissions.Features.ChangeAccess;

public sealed record ChangeAccessResponse(MemberView Member, long Revision);

/// <summary>
/// <c>PUT /api/members/{id}/access</c> — approve (a pending member becomes active), change a role or the admin
/// toggle, block (<c>none</c>) or unblock. Under the organisation's lock: the escalation and last-admin rules
/// see every concurrent change that committed before.
/// </summary>
public static class ChangeAccessEndpoint
{
    public static Task<Results<Ok<ChangeAccessResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        AccessDocument document,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        write.RunAsync(user, TeamPolicy.EnsureMayManageTeam, (change, ct) => ChangeAsync(change, id, document, ct), cancellationToken);

    private static async Task<ChangeOutcome<ChangeAccessResponse>> ChangeAsync(
        OrganisationChange change, Guid id, AccessDocument document, CancellationToken cancellationToken)
    {
        var (db, organisation, actor, now) = change;
        var target = await db.Members.SingleOrDefaultAsync(m => m.Id == id && m.OrgId == change.OrgId, cancellationToken);
        if (target is null)
        {
            return Problems.MemberNotFound;
        }

        if (await db.CheckGroupsAsync(change.OrgId, document.ReferencedGroups(), cancellationToken) is { } unknownGroup)
        {
            return unknownGroup;
        }

        var activeAdmins = await db.ActiveAdminsAsync(change.OrgId, cancellationToken);
        if (organisation.ChangeAccess(actor, target, document, activeAdmins, now, out var accessChange) is { } refusal)
        {
            return refusal;
        }

        if (accessChange.Changed)
        {
            db.Record(organisation, AuditActions.AccessChanged, accessChange, actor.Id, now);
            db.PublishAccessChanged(accessChange, actor.Id, now);
        }

        return new ChangeAccessResponse(MemberView.From(target), accessChange.Revision);
    }
}
