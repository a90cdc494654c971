using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.Gateway.Sessions;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>What an operator sees of the gateway: <c>/health</c> as docs/operations.md#health says, and no error where nothing is wrong.</summary>
[Collection(nameof(GatewayCollection))]
public sealed class GatewayHealthTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Services_that_do_not_answer_show_as_degraded_and_leave_the_gateway_ready()
    {
        // Only a stand-in for identity runs, without a /health of its own; permission, invitation and notification are nowhere.
        var response = await fixture.Gateway.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty(SessionRevocation.HealthCheckName).GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("rabbitmq").GetProperty("status").GetString());
        foreach (var service in new[] { "identity", "permission", "invitation", "notification" })
        {
            var check = checks.GetProperty(service);
            Assert.Equal("Degraded", check.GetProperty("status").GetString());
            Assert.StartsWith(service, check.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
    }
}

/// <summary>A gateway whose identity never answers: it waits for its revocation list, not ready, and says so without an error.</summary>
public sealed class UnloadedGatewayTests : IAsyncLifetime
{
    private ServiceHost<GatewayOptions> _gateway = null!;

    public async Task InitializeAsync() => _gateway = await ServiceHost<GatewayOptions>.StartAsync("gateway", new Dictionary<string, string?>
    {
        ["Services:identity:http:0"] = "http://127.0.0.1:1", // nothing listens there
        ["Gateway:AnonymousPermitsPerMinute"] = "1",
    });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Until_its_revocation_list_is_loaded_the_gateway_is_not_ready_and_logs_no_error()
    {
        var response = await _gateway.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var revocations = report.GetProperty("checks").GetProperty(SessionRevocation.HealthCheckName);
        Assert.Equal("Degraded", revocations.GetProperty("status").GetString());
        Assert.Equal("Degraded", report.GetProperty("checks").GetProperty("identity").GetProperty("status").GetString());
        Assert.Contains(_gateway.Logs.Lines, line => line.Contains(SessionRevocation.HealthCheckName, StringComparison.Ordinal));
        Assert.DoesNotContain(_gateway.Logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await _gateway.CreateClient().GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task A_request_over_the_anonymous_limit_is_counted_as_a_refusal_of_its_policy()
    {
        var meters = _gateway.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var refusals = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "teamplatform.gateway.rate_limit.refusals");
        var client = _gateway.CreateClient();

        await client.GetAsync("/.well-known/openid-configuration");
        Assert.Empty(refusals.GetMeasurementSnapshot());
        var refused = await client.GetAsync("/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var refusal = Assert.Single(refusals.GetMeasurementSnapshot());
        Assert.Equal(1, refusal.Value);
        Assert.Equal(GatewayPolicies.AnonymousRateLimit, refusal.Tags["policy"]);
    }
}
