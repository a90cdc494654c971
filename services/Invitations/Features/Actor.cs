using System.Security.Claims;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Invitations.Features;

/// <summary>The member acting, from their token: their organisation and their member id.</summary>
public readonly record struct Actor(Guid OrgId, Guid MemberId);

public static class ActorClaims
{
    /// <summary>Null for anything but a member's token (a service's client-credentials token has no organisation).</summary>
    public static Actor? Actor(this ClaimsPrincipal user) =>
        user.OrgId() is { } orgId && user.MemberId() is { } memberId ? new Actor(orgId, memberId) : null;
}
