using System.Security.Claims;

namespace TeamPlatform.ServiceDefaults.Security;

/// <summary>The claims TeamPlatform's access tokens carry: identity only, never roles or permissions.</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Organisation = "org";
    public const string Session = "sid";
    public const string IssuedAt = "iat";
    public const string ClientId = "client_id";
    public const string Scope = "scope";
}

public static class TokenClaimsExtensions
{
    /// <summary>The member id of a member's token; null for a service's client-credentials token.</summary>
    public static Guid? MemberId(this ClaimsPrincipal user) =>
        user.FindFirst(TokenClaims.Organisation) is not null && Guid.TryParse(user.FindFirst(TokenClaims.Subject)?.Value, out var id) ? id : null;

    public static Guid? OrgId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(TokenClaims.Organisation)?.Value, out var id) ? id : null;

    public static string? SessionId(this ClaimsPrincipal user) => user.FindFirst(TokenClaims.Session)?.Value;

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.FindAll(TokenClaims.Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope);

    /// <summary>A service calling with client credentials (no organisation in the token).</summary>
    public static bool IsService(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst(TokenClaims.Organisation) is null;
}
