using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;

namespace TeamPlatform.Permissions.Features.CreateGroup;

public sealed record CreateGroupRequest(string? Name);

/// <summary><c>POST /api/groups</c> — <c>{name}</c> → <c>201</c>; a name the organisation already has (any case) is <c>409 conflict</c>.</summary>
public static class CreateGroupEndpoint
{
    public static Task<Results<Created<GroupView>, ProblemHttpResult>> HandleAsync(
        CreateGroupRequest request,
        ClaimsPrincipal user,
        OrganisationWrite write,
        CancellationToken cancellationToken) =>
        write.RunAsync(
            user,
            TeamPolicy.EnsureMayManageTeam,
            (change, ct) => CreateAsync(change, request.Name ?? "", ct),
            group => TypedResults.Created($"/api/groups/{group.Id}", group),
            cancellationToken);

    private static async Task<ChangeOutcome<GroupView>> CreateAsync(OrganisationChange change, string name, CancellationToken cancellationToken)
    {
        var (db, organisation, actor, now) = change;
        if (organisation.CreateGroup(actor, name, now, out var group) is { } refusal)
        {
            return refusal;
        }

        if (await db.Groups.AnyAsync(g => g.OrgId == change.OrgId && g.NameKey == group.NameKey, cancellationToken))
        {
            return Problems.GroupNameTaken;
        }

        db.Groups.Add(group);
        return GroupView.From(group);
    }
}
