using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TeamPlatform.Testing;

/// <summary>
/// Signs access tokens shaped like identity's (sub, org, sid, iat; audience <c>teamplatform</c>) for services
/// hosted in process without identity. The key is per test process.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "http://gateway.test/";
    public const string Audience = "teamplatform";

    public static RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = "test-key" };

    public static string ForMember(Guid orgId, Guid memberId, string? sessionId = null, DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null)
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        return Sign(now, lifetime ?? TimeSpan.FromMinutes(10), new Dictionary<string, object>
        {
            ["sub"] = memberId.ToString(),
            ["org"] = orgId.ToString(),
            ["sid"] = sessionId ?? Guid.NewGuid().ToString("N"),
        });
    }

    public static string ForService(string clientId, params string[] scopes) =>
        Sign(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), new Dictionary<string, object>
        {
            ["sub"] = clientId,
            ["client_id"] = clientId,
            ["scope"] = string.Join(' ', scopes),
        });

    private static string Sign(DateTimeOffset issuedAt, TimeSpan lifetime, Dictionary<string, object> claims)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime.AddSeconds(-1),
            Expires = issuedAt.Add(lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
