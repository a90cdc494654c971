using System.Net;
using System.Text;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using TeamPlatform.Identity.Domain;
using TeamPlatform.ServiceDefaults.Security;
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
    public async Task A_service_reads_the_keys_from_identitys_own_address_while_the_document_names_the_public_one()
    {
        var identity = Host.CreateClient().BaseAddress!;
        var keys = new ConfigurationManager<OpenIdConnectConfiguration>(
            new Uri(identity, ".well-known/openid-configuration").AbsoluteUri,
            new KeysFromIdentity(),
            new HttpDocumentRetriever { RequireHttps = false });

        var configuration = await keys.GetConfigurationAsync(CancellationToken.None);

        // The public address (http://gateway.test/) answers nothing here: the keys can only have come from identity.
        Assert.Equal(TestTokens.Issuer + ".well-known/jwks", configuration.JwksUri);
        Assert.Contains(configuration.JsonWebKeySet.Keys, key => key.Kty == "RSA");
        Assert.NotEmpty(configuration.SigningKeys);
    }
}
