using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>Tokens made without the signing key are refused here too: the gateway is not the only wall.</summary>
[Collection(nameof(PermissionCollection))]
public sealed class ForgedTokenTests(PermissionFixture fixture)
{
    [Theory]
    [MemberData(nameof(ForgedTokens.All), MemberType = typeof(ForgedTokens))]
    public async Task A_token_made_without_the_signing_key_or_out_of_date_is_refused(string forgery)
    {
        using var client = fixture.Host.CreateClient();
        await ForgedTokens.AssertRefusedAsync(client, "/api/members", forgery);
    }
}
