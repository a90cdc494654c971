using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;

namespace TeamPlatform.Permissions.Features.ChangeAccess;

/// <summary>The group-scoped permissions (catalogue names) the member is to hold on one group; the others on it are taken away.</summary>
public sealed record GroupAccessRequest(IReadOnlyList<string>? Permissions);

/// <summary>
/// <c>PUT /api/members/{id}/access/groups/{groupId}</c> and its <c>/preview</c> (docs/permissions.md#group-admins): the
/// member's grants on one group, merged by the server into their access document, nothing outside the group touched. How a
/// group admin approves, grants and takes away within their groups; admins may use it too. The merged document then goes
/// through the same rules as <c>PUT /api/members/{id}/access</c>, under the organisation's lock.
/// </summary>
public static class ChangeGroupAccessEndpoint
{
    public static Task<Results<Ok<ChangeAccessResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        Guid groupId,
        GroupAccessRequest request,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        write.RunAsync(user, TeamPolicy.EnsureMayManageMembers, Merged(id, groupId, request, ChangeAccessEndpoint.ChangeAsync), cancellationToken);

    public static Task<Results<Ok<AccessPreviewResponse>, ProblemHttpResult>> PreviewAsync(
        Guid id,
        Guid groupId,
        GroupAccessRequest request,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        write.PreviewAsync(user, TeamPolicy.EnsureMayManageMembers, Merged(id, groupId, request, PreviewAccessEndpoint.PreviewAsync), cancellationToken);

    /// <summary>The change that merges the request into the member's access, then takes <paramref name="step"/> with it: saving, or previewing.</summary>
    private static Func<OrganisationChange, CancellationToken, Task<ChangeOutcome<T>>> Merged<T>(
        Guid id,
        Guid groupId,
        GroupAccessRequest request,
        Func<OrganisationChange, Guid, AccessDocument, CancellationToken, Task<ChangeOutcome<T>>> step) =>
        async (change, ct) => await MergeAsync(change, id, groupId, request, ct) is var merged && merged.Value is { } document
            ? await step(change, id, document, ct)
            : merged.Problem!;

    /// <summary>The member's whole access document with the request merged in, as the member holds it now (a pending end kept).</summary>
    private static async Task<ChangeOutcome<AccessDocument>> MergeAsync(
        OrganisationChange change, Guid id, Guid groupId, GroupAccessRequest request, CancellationToken cancellationToken)
    {
        if (Read(request, out var wanted) is { } invalid)
        {
            return invalid;
        }

        var target = await change.Db.Members.VisibleTo(change.Actor).SingleOrDefaultAsync(m => m.Id == id && m.OrgId == change.OrgId, cancellationToken);
        if (target is null)
        {
            return Problems.MemberNotFound;
        }

        if (await change.Db.CheckGroupsAsync(change.OrgId, [groupId], cancellationToken) is { } unknownGroup)
        {
            return unknownGroup;
        }

        if (target.Access.OnGroup(groupId, wanted, out var merged) is { } refusal)
        {
            return refusal;
        }

        return AccessDocument.Of(merged, target.Lapse);
    }

    private static Refusal? Read(GroupAccessRequest request, out IReadOnlySet<Permission> wanted)
    {
        var permissions = new HashSet<Permission>();
        wanted = permissions;
        if (request.Permissions is null)
        {
            return Refusal.Invalid("permissions is required: the group-scoped permissions to hold on the group ([] for none).");
        }

        foreach (var name in request.Permissions)
        {
            if (!Catalogue.TryParse(name, out var permission) || Catalogue.KindOf(permission) != PermissionKind.GroupScoped)
            {
                return Refusal.Invalid($"permissions: {name} is not a group-scoped permission of the catalogue.");
            }

            permissions.Add(permission);
        }

        return null;
    }
}
