using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

public sealed class TokenTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task The_creator_logs_in_and_the_access_token_carries_identity_only()
    {
        var org = await Host.CreateOrganisationAsync();

        var tokens = await Host.LoginAsync(org.Slug, org.Creator);

        var access = tokens.Access;
        Assert.Equal(org.Creator.Id.ToString(), access.Subject);
        Assert.Equal(org.Id.ToString(), access.GetClaim("org").Value);
        Assert.True(Guid.TryParse(access.GetClaim("sid").Value, out _));
        Assert.True(access.TryGetClaim("iat", out _));
        Assert.Equal(TestTokens.Issuer, access.Issuer);
        Assert.Contains("teamplatform", access.Audiences);
        Assert.DoesNotContain(access.Claims, c => c.Type is "role" or "roles" or "permissions" or "is_admin");
        Assert.Equal("at+jwt", access.Typ); // RFC 9068
        Assert.NotNull(tokens.RefreshToken);
        var lifetime = access.ValidTo - access.IssuedAt;
        Assert.InRange(lifetime, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));

        var me = await Host.ClientWith(tokens).GetAsync("/api/org");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(org.Slug, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString());
    }
}
