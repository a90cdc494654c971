using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace TeamPlatform.Testing;

/// <summary>
/// What an attacker can make of a member's access token (the attacks RFC 8725 names). Every one of them must be
/// refused with <c>401 unauthenticated</c> by the gateway and by every service.
/// </summary>
public static class ForgedTokens
{
    public const string NoSignature = "unsigned (alg none)";
    public const string HmacWithThePublicKey = "HS256 keyed with the published public key";
    public const string ForeignKeySameKeyId = "signed by another key under the same key id";
    public const string ChangedAfterSigning = "claims changed after signing";
    public const string Expired = "expired ten minutes ago";
    public const string AnotherAudience = "issued for another audience";
    public const string AnotherIssuer = "issued by another issuer";

    /// <summary>Forgeries anyone can make from a token they hold and the keys the issuer publishes.</summary>
    public static TheoryData<string> WithoutTheKey => new(NoSignature, HmacWithThePublicKey, ForeignKeySameKeyId, ChangedAfterSigning);

    /// <summary>Those, and tokens signed with the right key that are still not for this API now (needs <see cref="TestTokens"/>' key).</summary>
    public static TheoryData<string> All => new(NoSignature, HmacWithThePublicKey, ForeignKeySameKeyId, ChangedAfterSigning, Expired, AnotherAudience, AnotherIssuer);

    /// <summary>The forgery named <paramref name="forgery"/> (one of <see cref="WithoutTheKey"/>) of <paramref name="genuine"/>.</summary>
    public static string Make(string forgery, string genuine, RSA publishedKey)
    {
        var parts = genuine.Split('.');
        var (header, payload, signature) = (JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject(), parts[1], parts[2]);
        var keyId = header["kid"]?.GetValue<string>();
        return forgery switch
        {
            NoSignature => $"{Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" })}.{payload}.",
            // The classic key confusion: a verifier that took the algorithm from the token would check this HMAC with
            // the RSA public key it publishes.
            HmacWithThePublicKey => Sign(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = keyId }, payload,
                content => HMACSHA256.HashData(Encoding.ASCII.GetBytes(publishedKey.ExportSubjectPublicKeyInfoPem()), content)),
            ForeignKeySameKeyId => Sign(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = keyId }, payload,
                content => RSA.Create(2048).SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            ChangedAfterSigning => $"{parts[0]}.{OtherOrganisation(payload)}.{signature}",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery), forgery, "Not a forgery of a token one holds."),
        };
    }

    /// <summary>Tokens signed with the issuer's own key that are still not for this API now.</summary>
    public static TheoryData<string> WithTheKey => new(Expired, AnotherAudience, AnotherIssuer);

    /// <summary>
    /// The forgery named <paramref name="forgery"/> (one of <see cref="WithTheKey"/>) of <paramref name="genuine"/>, signed
    /// again with the issuer's own <paramref name="signingKey"/> under the same header.
    /// </summary>
    public static string MakeWithTheKey(string forgery, string genuine, RSA signingKey)
    {
        var parts = genuine.Split('.');
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        var issuedAt = claims["iat"]!.GetValue<long>();
        switch (forgery)
        {
            case Expired:
                claims["iat"] = issuedAt - 1200;
                claims["nbf"] = issuedAt - 1200;
                claims["exp"] = issuedAt - 600;
                break;
            case AnotherAudience:
                claims["aud"] = "another-api";
                break;
            case AnotherIssuer:
                claims["iss"] = "https://attacker.example/";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, "Not a token signed with the issuer's key.");
        }

        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject();
        return Sign(header, Encode(claims), content => signingKey.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>The forgery named <paramref name="forgery"/> (one of <see cref="All"/>) of a <see cref="TestTokens"/> member token.</summary>
    public static string Make(string forgery, Guid orgId, Guid memberId) => forgery switch
    {
        Expired => TestTokens.ForMember(orgId, memberId, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-20), lifetime: TimeSpan.FromMinutes(10)),
        AnotherAudience => SignedByTheTestKey(orgId, memberId, audience: "another-api", issuer: TestTokens.Issuer),
        AnotherIssuer => SignedByTheTestKey(orgId, memberId, audience: TestTokens.Audience, issuer: "https://attacker.example/"),
        _ => Make(forgery, TestTokens.ForMember(orgId, memberId), TestTokens.SigningKey.Rsa),
    };

    /// <summary><c>GET <paramref name="path"/></c> with a <see cref="TestTokens"/> member token and with its forgery.</summary>
    public static Task AssertRefusedAsync(HttpClient client, string path, string forgery)
    {
        var (orgId, memberId) = (Guid.NewGuid(), Guid.NewGuid());
        return AssertRefusedAsync(client, path, TestTokens.ForMember(orgId, memberId), Make(forgery, orgId, memberId));
    }

    /// <summary>
    /// <c>GET <paramref name="path"/></c> gets past authentication with the genuine token (whatever it then answers) and is
    /// refused with <c>401 unauthenticated</c> with the forged one.
    /// </summary>
    public static async Task AssertRefusedAsync(HttpClient client, string path, string genuine, string forged)
    {
        using var accepted = await GetAsync(client, path, genuine);
        Assert.NotEqual(HttpStatusCode.Unauthorized, accepted.StatusCode);

        using var refused = await GetAsync(client, path, forged);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("unauthenticated", problem?["code"]?.GetValue<string>());
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static string Sign(JsonObject header, string payload, Func<byte[], byte[]> signature)
    {
        var content = $"{Encode(header)}.{payload}";
        return $"{content}.{Base64UrlEncoder.Encode(signature(Encoding.ASCII.GetBytes(content)))}";
    }

    private static string SignedByTheTestKey(Guid orgId, Guid memberId, string audience, string issuer)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-1),
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = memberId.ToString(), ["org"] = orgId.ToString(), ["sid"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(TestTokens.SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The same claims naming another organisation.</summary>
    private static string OtherOrganisation(string payload)
    {
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(payload))!.AsObject();
        claims["org"] = Guid.NewGuid().ToString();
        return Encode(claims);
    }

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(json.ToJsonString());
}
