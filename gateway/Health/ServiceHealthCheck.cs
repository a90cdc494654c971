using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TeamPlatform.Gateway.Edge;

namespace TeamPlatform.Gateway.Health;

/// <summary>The gateway is ready only when every service it routes to answers its own <c>/health</c>.</summary>
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
                : HealthCheckResult.Unhealthy($"{service} answered {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{service} did not answer", exception);
        }
    }
}
