using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>
/// Identity's own API refuses what can be made of a member's token with the keys it publishes, and tokens signed with its
/// own key that are expired or not for this API.
/// </summary>
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

    [Theory]
    [MemberData(nameof(ForgedTokens.WithTheKey), MemberType = typeof(ForgedTokens))]
    public async Task A_token_signed_with_identitys_own_key_but_expired_or_for_another_audience_or_issuer_is_refused(string forgery)
    {
        var org = await Host.CreateOrganisationAsync();
        var genuine = (await Host.LoginAsync(org.Slug, org.Creator)).AccessToken;
        using var client = Host.CreateClient();

        var forged = ForgedTokens.MakeWithTheKey(forgery, genuine, SigningKeyOf(genuine));

        await ForgedTokens.AssertRefusedAsync(client, "/api/org", genuine, forged);
    }

    [Fact]
    public async Task An_access_token_is_refused_once_its_ten_minutes_are_over()
    {
        var org = await Host.CreateOrganisationAsync();
        var tokens = await Host.LoginAsync(org.Slug, org.Creator);
        using var client = Host.ClientWith(tokens);

        var fresh = await client.GetAsync("/api/org");
        await Host.AdvanceAsync(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var expired = await client.GetAsync("/api/org");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "unauthenticated"), (expired.StatusCode, await IdentityApi.CodeOf(expired)));
    }

    /// <summary>The private key identity signed <paramref name="token"/> with, from its own key store.</summary>
    private RSA SigningKeyOf(string token)
    {
        var keyId = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid;
        var key = Host.Services.GetRequiredService<ServerKeys>().Keys.Single(k => k.Use == ServerKeys.Signing && k.Id == keyId);
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(key.Material, out _);
        return rsa;
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
