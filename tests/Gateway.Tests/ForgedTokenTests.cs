using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>Tokens made without the signing key are refused at the edge, before any service is asked.</summary>
[Collection(nameof(GatewayCollection))]
public sealed class ForgedTokenTests(GatewayFixture fixture)
{
    [Theory]
    [MemberData(nameof(ForgedTokens.All), MemberType = typeof(ForgedTokens))]
    public async Task A_token_made_without_the_signing_key_or_out_of_date_is_refused(string forgery)
    {
        using var client = fixture.Gateway.CreateClient();
        await ForgedTokens.AssertRefusedAsync(client, "/api/me", forgery);
    }
}
