using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace TeamPlatform.ServiceDefaults;

public sealed class ServiceHealthOptions
{
    public const string Section = "ServiceHealth";

    /// <summary>
    /// How long one instance of a service this process calls may take to answer its <c>/health</c> before it is shown
    /// degraded: well inside an orchestrator's readiness probe (3 s in deploy/kubernetes), so that a service that has gone
    /// silent never makes its callers look unready too.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Whether every instance of a service this process calls (the gateway: every service it routes to) answers its own
/// <c>/health</c>. Registered as degraded on failure: one dead service must not take its callers out of their load
/// balancer (docs/operations.md#health); their requests that need it answer 503 meanwhile. Each instance is asked by its
/// own address: the service's name would ask a different one each time.
/// </summary>
public sealed class ServiceHealthCheck(
    string service,
    IHttpClientFactory clients,
    ServiceEndpointResolver endpoints,
    IOptions<ServiceHealthOptions> options) : IHealthCheck
{
    public const string ClientName = "service-health";

    public const string Tag = "services";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
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
            using var response = await clients.CreateClient(ClientName).GetAsync(new Uri(instance, Extensions.HealthPath), cancellationToken);
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

public static class ServiceHealthChecks
{
    /// <summary>
    /// Shows <paramref name="service"/> in this process's <c>/health</c>, degraded while it does not answer; once per
    /// name, however many clients of it the process has. Its options and client come with the service defaults' health checks.
    /// </summary>
    public static IServiceCollection AddServiceHealthCheck(this IServiceCollection services, string service)
    {
        services.AddHealthChecks();
        services.Configure<HealthCheckServiceOptions>(health =>
        {
            if (health.Registrations.All(registration => registration.Name != service))
            {
                health.Registrations.Add(new HealthCheckRegistration(
                    service,
                    provider => ActivatorUtilities.CreateInstance<ServiceHealthCheck>(provider, service),
                    HealthStatus.Degraded,
                    [ServiceHealthCheck.Tag]));
            }
        });
        return services;
    }
}
