using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.EffectivePermissions;

/// <summary>
/// <c>GET /api/members/{id}/effective-permissions</c> (self, or <c>admin_settings</c>) and
/// <c>GET /internal/orgs/{orgId}/members/{memberId}/effective-permissions</c> (identity, for <c>GET /api/me</c>).
/// A member who is not active holds nothing (<see cref="Member.EffectivePermissions"/>): every check would answer <c>inactive</c>.
/// </summary>
public static class EffectivePermissionsEndpoint
{
    public static async Task<Results<Ok<EffectivePermissionsResponse>, ProblemHttpResult>> HandleAsync(
        Guid id,
        ClaimsPrincipal user,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        var actor = await db.ActorAsync(user, cancellationToken);
        if (actor is null || (actor.Id != id && !TeamPolicy.MayManageTeam(actor)))
        {
            return ApiProblem.Forbidden("Another member's permissions are shown to those with admin_settings.");
        }

        return await RespondAsync(db, actor.OrgId, id, cancellationToken);
    }

    public static Task<Results<Ok<EffectivePermissionsResponse>, ProblemHttpResult>> HandleInternalAsync(
        Guid orgId,
        Guid memberId,
        PermissionDbContext db,
        CancellationToken cancellationToken) => RespondAsync(db, orgId, memberId, cancellationToken);

    private static async Task<Results<Ok<EffectivePermissionsResponse>, ProblemHttpResult>> RespondAsync(
        PermissionDbContext db, Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId && m.OrgId == orgId, cancellationToken);
        if (member is null)
        {
            return ApiProblem.NotFound("The member");
        }

        var revision = await db.Organisations.Where(o => o.Id == orgId).Select(o => o.Revision).SingleAsync(cancellationToken);
        var access = EffectiveAccess.Of(member);
        return TypedResults.Ok(new EffectivePermissionsResponse(
            member.Id,
            MemberStatusNames.NameOf(member.Status),
            member.Role,
            member.IsAdmin,
            access.GroupIds,
            access.Permissions,
            revision,
            access.GroupAdminOf));
    }
}
