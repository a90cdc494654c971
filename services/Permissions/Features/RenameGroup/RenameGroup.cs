using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;

namespace TeamPlatform.Permissions.Features.RenameGroup;

public sealed record RenameGroupRequest(string? Name);

/// <summary>
/// <c>PATCH /api/groups/{id}</c> — <c>{name}</c> → <c>200</c> with the group; a name another group of the organisation
/// has (any case) is <c>409 conflict</c>. Grants name groups by id, so no access changes and no revision is taken.
/// </summary>
public static class RenameGroupEndpoint
{
    public static Task<Results<Ok<GroupView>, ProblemHttpResult>> HandleAsync(
        Guid id,
        RenameGroupRequest request,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        write.RunAsync(user, TeamPolicy.EnsureMayManageTeam, (change, ct) => RenameAsync(change, id, request.Name ?? "", ct), cancellationToken);

    private static async Task<ChangeOutcome<GroupView>> RenameAsync(OrganisationChange change, Guid id, string name, CancellationToken cancellationToken)
    {
        var (db, organisation, actor, _) = change;
        var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == id && g.OrgId == change.OrgId, cancellationToken);
        if (group is null)
        {
            return Problems.GroupNotFound;
        }

        if (organisation.RenameGroup(actor, group, name) is { } refusal)
        {
            return refusal;
        }

        if (await db.Groups.AnyAsync(g => g.OrgId == change.OrgId && g.NameKey == group.NameKey && g.Id != group.Id, cancellationToken))
        {
            return Problems.GroupNameTaken;
        }

        return GroupView.From(group);
    }
}
