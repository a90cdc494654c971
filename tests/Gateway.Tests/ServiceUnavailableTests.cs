using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamPlatform.Internal;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// The gateway in front of services that do not answer: one whose port refuses connections (a service that exited at
/// start), one that accepts the request and stays silent. Each route gets the gateway's own 503 in bounded time.
/// </summary>
public sealed class ServiceUnavailableTests : IAsyncLifetime
{
    private static readonly TimeSpan ServiceTimeout = TimeSpan.FromSeconds(1);

    private LoopbackWebApp _identity = null!;
    private ServiceHost<GatewayOptions> _gateway = null!;

    public async Task InitializeAsync()
    {
        _identity = await LoopbackWebApp.StartAsync(identity =>
        {
            identity.MapGet("/internal/sessions/revocations", () => Results.Json(new RevocationsResponse([])));
            identity.MapGet("/health", () => Results.Ok());
            identity.MapGet("/.well-known/silent", async (CancellationToken aborted) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
                return Results.Ok();
            });
        });
        var identityUrl = _identity.Address;

        _gateway = await ServiceHost<GatewayOptions>.StartAsync("gateway", new Dictionary<string, string?>
        {
            ["Services:identity:http:0"] = identityUrl,
            ["Services:notification:http:0"] = $"http://127.0.0.1:{ClosedPort()}",
            // Two instances of permission: the stand-in answers, the other has exited.
            ["Services:permission:http:0"] = identityUrl,
            ["Services:permission:http:1"] = $"http://127.0.0.1:{ClosedPort()}",
            ["Gateway:ServiceTimeout"] = ServiceTimeout.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _identity.DisposeAsync();
    }

    [Fact]
    public async Task Health_asks_every_instance_of_a_service_by_its_own_address_and_names_the_share_that_did_not_answer()
    {
        for (var i = 0; i < 3; i++)
        {
            // Read whatever the status: a gateway still loading its revocation list answers 503 with the same checks.
            using var response = await _gateway.CreateClient().GetAsync(new Uri("/health", UriKind.Relative));
            var report = await response.Content.ReadFromJsonAsync<JsonElement>();

            var permission = report.GetProperty("checks").GetProperty(ServiceNames.Permission);
            Assert.Equal("Degraded", permission.GetProperty("status").GetString());
            Assert.Equal("1 of 2 instances of permission: did not answer", permission.GetProperty("description").GetString());
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty(ServiceNames.Identity).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_service_that_refuses_connections_gets_503_service_unavailable_at_once()
    {
        // The gateway's first request also builds its routes and resolves the service; the second shows the refusal alone.
        await AssertServiceUnavailable(await _gateway.CreateClient().GetAsync("/api/dev/notifications?to=%2B254711234567"), "notification");
        var elapsed = Stopwatch.StartNew();
        var response = await _gateway.CreateClient().GetAsync("/api/dev/notifications?to=%2B254711234567");
        elapsed.Stop();

        await AssertServiceUnavailable(response, "notification");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"answered after {elapsed.Elapsed}");
    }

    [Fact]
    public async Task A_service_that_stays_silent_gets_503_service_unavailable_after_the_service_timeout()
    {
        var elapsed = Stopwatch.StartNew();
        var response = await _gateway.CreateClient().GetAsync("/.well-known/silent");
        elapsed.Stop();

        await AssertServiceUnavailable(response, "identity");
        Assert.InRange(elapsed.Elapsed, ServiceTimeout * 0.9, ServiceTimeout + TimeSpan.FromSeconds(3));
        // The gateway's own time counts the wait for the service, not only its own work.
        Assert.InRange(GatewayTiming.Of(response) ?? TimeSpan.Zero, ServiceTimeout * 0.9, elapsed.Elapsed);
    }

    private static async Task AssertServiceUnavailable(HttpResponseMessage response, string service)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("service_unavailable", problem.GetProperty("code").GetString());
        Assert.Contains(service, problem.GetProperty("detail").GetString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
