using System.Security.Claims;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Invitations.Features;

/// <summary>The member calling, from their token: their organisation and their member id.</summary>
public readonly record struct Caller(Guid OrgId, Guid MemberId);

public static class CallerClaims
{
    /// <summary>Null for anything but a member's token (a service's client-credentials token has no organisation).</summary>
    public static Caller? Member(this ClaimsPrincipal user) =>
        user.OrgId() is { } orgId && user.MemberId() is { } memberId ? new Caller(orgId, memberId) : null;
}
