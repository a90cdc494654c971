using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>Identity's own API refuses what can be made of a member's token with the keys it publishes.</summary>
[Collection(nameof(IdentityCollection))]
public sealed class ForgedTokenTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Theory]
    [MemberData(nameof(ForgedTokens.WithoutTheKey), MemberType = typeof(ForgedTokens))]
    public async Task A_token_made_without_the_signing_key_is_refused(string forgery)
    {
        var org = await Host.CreateOrganisationAsync();
        var genuine = (await Host.LoginAsync(org.Slug, org.Creator)).AccessToken;
        using var client = Host.CreateClient();

        var forged = ForgedTokens.Make(forgery, genuine, await PublishedKeyAsync(client, genuine));

        await ForgedTokens.AssertRefusedAsync(client, "/api/org", genuine, forged);
    }

    private static async Task<RSA> PublishedKeyAsync(HttpClient client, string token)
    {
        var keyId = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid;
        var keys = await client.GetFromJsonAsync<JsonElement>("/.well-known/jwks");
        var key = keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == keyId);
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()),
            Exponent = Base64UrlEncoder.DecodeBytes(key.GetProperty("e").GetString()),
        });
        return rsa;
    }
}
