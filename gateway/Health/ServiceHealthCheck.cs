using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using TeamPlatform.Gateway.Edge;

namespace TeamPlatform.Gateway.Health;

/// <summary>
/// Whether every instance of a service the gateway routes to answers its own <c>/health</c>. Registered as degraded on
/// failure: one dead service must not take the gateway out of its load balancer (docs/operations.md#health); its routes
/// answer 503 meanwhile, or go to the instances that answer. Each instance is asked by its own address: the service's
/// name would ask a different one each time.
/// </summary>
internal sealed class ServiceHealthCheck(
    string service,
    IHttpClientFactory clients,
    ServiceEndpointResolver endpoints,
    IOptions<GatewayOptions> options) : IHealthCheck
{
    public const string ClientName = "service-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ServiceHealthTimeout);
        List<Uri> instances;
        try
        {
            instances = (await endpoints.GetEndpointsAsync($"http://{service}", timeout.Token)).Endpoints.Select(AddressOf).ToList();
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{service} has no known address", exception);
        }

        var answers = await Task.WhenAll(instances.Select(instance => AskAsync(instance, timeout.Token)));
        var failures = answers.Where(answer => answer is not null).ToList();
        return failures.Count == 0
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, instances.Count == 1
                ? $"{service} {failures[0]}"
                : $"{failures.Count} of {instances.Count} instances of {service}: {string.Join("; ", failures)}");
    }

    /// <summary>Null when the instance is ready, else what it did.</summary>
    private async Task<string?> AskAsync(Uri instance, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(new Uri(instance, "/health"), cancellationToken);
            return response.IsSuccessStatusCode ? null : $"answered {(int)response.StatusCode}";
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return "did not answer";
        }
    }

    private static Uri AddressOf(ServiceEndpoint endpoint) => endpoint.EndPoint switch
    {
        UriEndPoint uri => uri.Uri,
        DnsEndPoint dns => new Uri($"http://{dns.Host}:{dns.Port}"),
        IPEndPoint ip => new Uri($"http://{ip}"),
        var other => new Uri($"http://{other}"),
    };
}
