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
        write.RunAsync(user, TeamPolicy.EnsureMayManageMembers, (change, ct) => ChangeAsync(change, id, document, ct), cancellationToken);

    /// <summary>Applies <paramref name="document"/> to the member inside the write's transaction, with its audit entry and event.</summary>
    internal static async Task<ChangeOutcome<ChangeAccessResponse>> ChangeAsync(
        OrganisationChange change, Guid id, AccessDocument document, CancellationToken cancellationToken)
    {
        var attempt = await AccessAttempt.MakeAsync(change, id, document, cancellationToken);
        if (attempt.Value is not { } made)
        {
            return attempt.Problem!;
        }

        if (made.Refusal is { } refusal)
        {
            return refusal;
        }

        if (made.Change.Changed)
        {
            change.Db.Record(change.Organisation, AuditActions.AccessChanged, made.Change, change.Actor.Id, change.Now);
            change.Db.PublishAccessChanged(made.Change, change.Actor.Id, change.Now);
        }

        return new ChangeAccessResponse(MemberView.From(made.Target), made.Change.Revision);
    }
}

/// <summary>
/// One access document applied to one member by <see cref="Organisation.ChangeAccess"/>, with what the member was before:
/// the change itself (<c>PUT</c>) and its preview make it alike, so the preview answers what the change would.
/// </summary>
/// <param name="Refusal">Why the rules refused the change (nothing was applied), or null.</param>
internal sealed record AccessAttempt(Member Target, MemberState Before, Refusal? Refusal, AccessChange Change)
{
    /// <summary>Finds the member (another organisation's is not found), checks the groups named, counts the admins, applies.</summary>
    public static async Task<ChangeOutcome<AccessAttempt>> MakeAsync(
        OrganisationChange change, Guid id, AccessDocument document, CancellationToken cancellationToken)
    {
        var (db, organisation, actor, now) = change;
        // A group admin finds only the members they may see: the others are not there for them.
        var target = await db.Members.VisibleTo(actor).SingleOrDefaultAsync(m => m.Id == id && m.OrgId == change.OrgId, cancellationToken);
        if (target is null)
        {
            return Problems.MemberNotFound;
        }

        var before = target.State;
        var unchanged = new AccessChange(target, before, before, organisation.Revision);
        if (await db.CheckGroupsAsync(change.OrgId, document.ReferencedGroups(), cancellationToken) is { } unknownGroup)
        {
            return new AccessAttempt(target, before, unknownGroup, unchanged);
        }

        var lastingAdmins = await db.LastingAdminsAsync(change.OrgId, cancellationToken);
        var refusal = organisation.ChangeAccess(actor, target, document, lastingAdmins, now, out var accessChange);
        return new AccessAttempt(target, before, refusal, accessChange);
    }
}
