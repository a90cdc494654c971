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
        var actor = await db.CallerAsync(user, cancellationToken);
        if (actor is null || !TeamPolicy.MayManageVisibility(actor))
        {
            return ApiProblem.Forbidden("Conversation visibility needs explorer_conversations and admin_settings.");
        }

        if (!Visibility.IsValidConversationId(id))
        {
            return ApiProblem.Validation($"A conversation id is 1 to {Visibility.MaxConversationIdLength} characters.");
        }

        var visibility = await db.ConversationVisibilities.AsNoTracking()
            .SingleOrDefaultAsync(v => v.OrgId == actor.OrgId && v.ConversationId == id, cancellationToken);
        var revision = await db.Organisations.Where(o => o.Id == actor.OrgId).Select(o => o.Revision).SingleAsync(cancellationToken);
        return TypedResults.Ok(View(id, visibility?.Mode, visibility?.MemberIds ?? [], revision));
    }

    public static async Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> PutAsync(
        string id,
        VisibilityRequest request,
        ClaimsPrincipal user,
        PermissionDbContext db,
        SnapshotCache snapshots,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if ((request.AllowMemberIds is null) == (request.DenyMemberIds is null))
        {
            return ApiProblem.Validation("Give either allowMemberIds or denyMemberIds, not both.");
        }

        var mode = request.AllowMemberIds is not null ? VisibilityMode.Allow : VisibilityMode.Deny;
        var memberIds = (request.AllowMemberIds ?? request.DenyMemberIds)!.Distinct().ToList();
        if (memberIds.Count > Visibility.MaxMembers)
        {
            return ApiProblem.Validation($"A list names at most {Visibility.MaxMembers} members.");
        }

        return await ChangeAsync(id, mode, memberIds, user, db, snapshots, time, cancellationToken);
    }

    public static Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> DeleteAsync(
        string id,
        ClaimsPrincipal user,
        PermissionDbContext db,
        SnapshotCache snapshots,
        TimeProvider time,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, null, [], user, db, snapshots, time, cancellationToken);

    private static async Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> ChangeAsync(
        string id,
        VisibilityMode? mode,
        List<Guid> memberIds,
        ClaimsPrincipal user,
        PermissionDbContext db,
        SnapshotCache snapshots,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId)
        {
            return ApiProblem.Forbidden("Conversation visibility needs a member's token.");
        }

        id = Decode(id);
        if (!Visibility.IsValidConversationId(id))
        {
            return ApiProblem.Validation($"A conversation id is 1 to {Visibility.MaxConversationIdLength} characters.");
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = await db.LockOrganisationAsync(orgId, cancellationToken);
        var actor = await db.CallerAsync(user, cancellationToken);
        if (organisation is null || actor is null || !TeamPolicy.MayManageVisibility(actor))
        {
            return ApiProblem.Forbidden("Conversation visibility needs explorer_conversations and admin_settings.");
        }

        var known = await db.Members.Where(m => m.OrgId == orgId && memberIds.Contains(m.Id)).CountAsync(cancellationToken);
        if (known != memberIds.Count)
        {
            return ApiProblem.Validation("Every listed member must be a member of the organisation.");
        }

        var visibility = await db.ConversationVisibilities.SingleOrDefaultAsync(v => v.OrgId == orgId && v.ConversationId == id, cancellationToken);
        var isNew = visibility is null;
        visibility ??= Visibility.None(orgId, id);
        var before = Lists(visibility.Mode, visibility.MemberIds);
        if (organisation.ChangeVisibility(actor, visibility, mode, memberIds, now))
        {
            if (isNew)
            {
                db.ConversationVisibilities.Add(visibility);
            }

            var after = Lists(visibility.Mode, visibility.MemberIds);
            db.AuditEntries.Add(AuditEntry.OfVisibility(orgId, id, before, after, actor.Id, organisation.Revision, now));
            db.AddOutboxEvent(new ConversationVisibilityChanged(orgId, id, organisation.Revision, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.NotifyAsync(orgId, organisation.Revision, cancellationToken);
        return TypedResults.Ok(new RevisionResponse(organisation.Revision));
    }

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
