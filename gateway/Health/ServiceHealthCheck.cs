using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TeamPlatform.Gateway.Edge;

namespace TeamPlatform.Gateway.Health;

/// <summary>
/// Whether a service the gateway routes to answers its own <c>/health</c>. Registered as degraded on failure: one dead
/// service must not take the gateway out of its load balancer (docs/operations.md#health); its routes answer 503 meanwhile.
/// </summary>
internal sealed class ServiceHealthCheck(string service, IHttpClientFactory clients, IOptions<GatewayOptions> options) : IHealthCheck
{
    public const string ClientName = "service-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ServiceHealthTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(new Uri($"http://{service}/health"), timeout.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, $"{service} answered {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{service} did not answer", exception);
        }
    }
}
