using System.Diagnostics;
using System.Net;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// Every answer says how long the gateway took for it (<c>Server-Timing: gateway;dur=…</c>), whoever answered: a service
/// behind it, the gateway's own problems, its 503 for a service that is not running, its own routes.
/// </summary>
[Collection(nameof(GatewayCollection))]
public sealed class ServerTimingTests(GatewayFixture fixture)
{
    private static readonly Guid Org = Guid.NewGuid();

    public static TheoryData<string, bool, HttpStatusCode> Answers => new()
    {
        { "/api/me", true, HttpStatusCode.OK },
        { "/api/me", false, HttpStatusCode.Unauthorized },
        { "/api/nowhere", true, HttpStatusCode.NotFound },
        { "/api/invitations", true, HttpStatusCode.ServiceUnavailable },
        { "/health", false, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_answer_carries_the_gateways_own_time_no_longer_than_the_client_waited(string path, bool withToken, HttpStatusCode status)
    {
        using var client = fixture.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (withToken)
        {
            request.Headers.Authorization = new("Bearer", TestTokens.ForMember(Org, Guid.NewGuid()));
        }

        var waited = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        waited.Stop();

        Assert.Equal(status, response.StatusCode);
        var atGateway = GatewayTiming.Of(response);
        Assert.NotNull(atGateway);
        Assert.InRange(atGateway.Value, TimeSpan.Zero, waited.Elapsed);
    }
}
