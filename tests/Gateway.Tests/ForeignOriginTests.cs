using System.Net;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// No CORS: the API is called by apps and by the console on the gateway's own origin, so no other site's scripts may read
/// an answer or be told they may send one.
/// </summary>
[Collection(nameof(GatewayCollection))]
public sealed class ForeignOriginTests(GatewayFixture fixture)
{
    public static TheoryData<string, string, bool> Requests => new()
    {
        // preflights, of a route that needs a token and of an anonymous one
        { "OPTIONS", "/api/me", false },
        { "OPTIONS", "/.well-known/client", false },
        // simple requests, answered
        { "GET", "/api/me", true },
        { "GET", "/.well-known/client", false },
        { "POST", "/connect/token", false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_foreign_origin_gets_no_access_control_header_on_a_preflight_or_a_simple_request(string method, string path, bool withToken)
    {
        using var client = fixture.Gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", "https://attacker.example");
        if (method == "OPTIONS")
        {
            request.Headers.Add("Access-Control-Request-Method", "DELETE");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
        }

        if (withToken)
        {
            request.Headers.Authorization = new("Bearer", TestTokens.ForMember(Guid.NewGuid(), Guid.NewGuid()));
        }

        using var response = await client.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(response.Content.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }
}
