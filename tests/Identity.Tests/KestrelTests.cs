using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

public sealed class KestrelFixture : IdentityFixture
{
    protected override bool Kestrel => true;
}

[CollectionDefinition(nameof(KestrelCollection))]
public sealed class KestrelCollection : ICollectionFixture<KestrelFixture>;

/// <summary>Identity on a real socket: what the in-memory test server does not enforce (Kestrel's body limit).</summary>
[Collection(nameof(KestrelCollection))]
public sealed class KestrelTests(KestrelFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task An_oversized_body_is_413_and_writes_nothing()
    {
        var before = await Host.CountAsync<Organisation>();
        var body = $$"""{"name": "{{new string('n', 70 * 1024)}}", "slug": "big-org", "username": "a", "phone": "{{TestPhones.New()}}", "password": "correct horse battery"}""";

        var response = await Host.CreateClient().PostAsync("/api/orgs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", await IdentityApi.CodeOf(response));
        Assert.Equal(before, await Host.CountAsync<Organisation>());
    }

    [Fact]
    public async Task Discovery_over_a_socket_names_endpoints_a_service_can_reach()
    {
        var client = Host.CreateClient();

        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        var jwksUri = new Uri(discovery.GetProperty("jwks_uri").GetString()!);

        Assert.Equal(TestTokens.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(client.BaseAddress!.Authority, jwksUri.Authority);
        var keys = await new HttpClient().GetFromJsonAsync<JsonElement>(jwksUri);
        Assert.Equal("RSA", keys.GetProperty("keys")[0].GetProperty("kty").GetString());
    }
}
