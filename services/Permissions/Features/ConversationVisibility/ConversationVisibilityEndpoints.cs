using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using Visibility = TeamPlatform.Permissions.Domain.ConversationVisibility;

namespace TeamPlatform.Permissions.Features.ConversationVisibility;

/// <summary>Exactly one of the two lists.</summary>
public sealed record VisibilityRequest(IReadOnlyList<Guid>? AllowMemberIds, IReadOnlyList<Guid>? DenyMemberIds);

public sealed record VisibilityView(string ConversationId, IReadOnlyList<Guid>? AllowMemberIds, IReadOnlyList<Guid>? DenyMemberIds, long Revision);

/// <summary>
/// <c>PUT/DELETE /api/conversations/{id}/visibility</c> (and <c>GET</c>): who may see one conversation (docs/permissions.md#conversation-visibility).
/// The id is one URL-encoded path segment; the server decodes all of it but <c>%2F</c>, which is the slash.
/// Overrides only narrow <c>explorer_conversations</c>; admins see everything. Managed by admins, or by members
/// with <c>explorer_conversations</c> and <c>admin_settings</c>.
/// </summary>
public static class ConversationVisibilityEndpoints
{
    public static async Task<Results<Ok<VisibilityView>, ProblemHttpResult>> GetAsync(
        string id,
        ClaimsPrincipal user,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        id = Decode(id);
        var actor = await db.ActorAsync(user, cancellationToken);
        if ((TeamPolicy.EnsureMayManageVisibility(actor) ?? Visibility.CheckConversationId(id)) is { } refusal)
        {
            return Problems.For(refusal);
        }

        var visibility = await db.ConversationVisibilities.AsNoTracking()
            .SingleOrDefaultAsync(v => v.OrgId == actor!.OrgId && v.ConversationId == id, cancellationToken);
        var revision = await db.Organisations.Where(o => o.Id == actor!.OrgId).Select(o => o.Revision).SingleAsync(cancellationToken);
        return TypedResults.Ok(View(id, visibility?.Mode, visibility?.MemberIds ?? [], revision));
    }

    public static Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> PutAsync(
        string id,
        VisibilityRequest request,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken)
    {
        if ((request.AllowMemberIds is null) == (request.DenyMemberIds is null))
        {
            return Refused(Refusal.Invalid("Give either allowMemberIds or denyMemberIds, not both."));
        }

        var mode = request.AllowMemberIds is not null ? VisibilityMode.Allow : VisibilityMode.Deny;
        var memberIds = (request.AllowMemberIds ?? request.DenyMemberIds)!.Distinct().ToList();
        if (Visibility.CheckMemberCount(memberIds.Count) is { } tooMany)
        {
            return Refused(tooMany);
        }

        return ChangeAsync(id, mode, memberIds, user, write, cancellationToken);
    }

    public static Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> DeleteAsync(
        string id,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, null, [], user, write, cancellationToken);

    private static Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> ChangeAsync(
        string id,
        VisibilityMode? mode,
        List<Guid> memberIds,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken)
    {
        id = Decode(id);
        return Visibility.CheckConversationId(id) is { } invalid
            ? Refused(invalid)
            : write.RunAsync(user, TeamPolicy.EnsureMayManageVisibility, (change, ct) => SetAsync(change, id, mode, memberIds, ct), cancellationToken);
    }

    private static async Task<ChangeOutcome<RevisionResponse>> SetAsync(
        OrganisationChange change, string id, VisibilityMode? mode, List<Guid> memberIds, CancellationToken cancellationToken)
    {
        var (db, organisation, actor, now) = change;
        var known = await db.Members.Where(m => m.OrgId == change.OrgId && memberIds.Contains(m.Id)).CountAsync(cancellationToken);
        if (known != memberIds.Count)
        {
            return Refusal.Invalid("Every listed member must be a member of the organisation.");
        }

        var visibility = await db.ConversationVisibilities.SingleOrDefaultAsync(v => v.OrgId == change.OrgId && v.ConversationId == id, cancellationToken);
        var isNew = visibility is null;
        visibility ??= Visibility.None(change.OrgId, id);
        var before = Lists(visibility.Mode, visibility.MemberIds);
        if (organisation.ChangeVisibility(actor, visibility, mode, memberIds, now, out var changed) is { } refusal)
        {
            return refusal;
        }

        if (changed)
        {
            if (isNew)
            {
                db.ConversationVisibilities.Add(visibility);
            }

            var after = Lists(visibility.Mode, visibility.MemberIds);
            db.Audit(organisation, AuditEntry.OfVisibility(change.OrgId, id, before, after, actor.Id, organisation.Revision, now));
            db.AddOutboxEvent(new ConversationVisibilityChanged(change.OrgId, id, organisation.Revision, now));
        }

        return new RevisionResponse(organisation.Revision);
    }

    private static Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> Refused(Refusal refusal) =>
        Task.FromResult<Results<Ok<RevisionResponse>, ProblemHttpResult>>(Problems.For(refusal));

    private static string Decode(string id) =>
        id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static object? Lists(VisibilityMode? mode, Guid[] memberIds) => mode switch
    {
        VisibilityMode.Allow => new { allowMemberIds = memberIds },
        VisibilityMode.Deny => new { denyMemberIds = memberIds },
        _ => null,
    };

    private static VisibilityView View(string id, VisibilityMode? mode, Guid[] memberIds, long revision) =>
        new(id, mode == VisibilityMode.Allow ? memberIds : null, mode == VisibilityMode.Deny ? memberIds : null, revision);
}
