using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Features.ListAdmins;

/// <summary>
/// <c>GET /internal/orgs/{orgId}/admins</c> — notification, when something concerns the admins alone (a webhook turned
/// off). Read from the database: whoever is an admin now.
/// </summary>
public static class ListAdminsEndpoint
{
    public static async Task<OrganisationAdminsResponse> HandleAsync(Guid orgId, PermissionDbContext db, CancellationToken cancellationToken)
    {
        var admins = await db.Members.AsNoTracking()
            .Where(m => m.OrgId == orgId && m.IsAdmin && m.Status == MemberStatus.Active)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new AdminContact(m.Id, m.Username, m.Phone))
            .ToListAsync(cancellationToken);
        return new OrganisationAdminsResponse(admins);
    }
}
