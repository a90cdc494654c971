using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.GetMemberStatus;

/// <summary>
/// <c>GET /internal/orgs/{orgId}/members/{memberId}</c> — identity, at every password and refresh grant. Read from
/// the database, never from a snapshot: a member approved a millisecond ago can log in, a blocked one cannot.
/// </summary>
public static class GetMemberStatusEndpoint
{
    public static async Task<Results<Ok<MemberStatusResponse>, ProblemHttpResult>> HandleAsync(
        Guid orgId,
        Guid memberId,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId && m.OrgId == orgId, cancellationToken);
        return member is null
            ? ApiProblem.NotFound("The member")
            : TypedResults.Ok(new MemberStatusResponse(
                member.Id, member.OrgId, member.Username, member.Phone, MemberStatusNames.NameOf(member.Status), member.IsAdmin, member.Role));
    }
}
