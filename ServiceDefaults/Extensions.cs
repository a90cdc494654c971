using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TeamPlatform.ServiceDefaults;

/// <summary>What every TeamPlatform process has: telemetry, health, service discovery, resilient HTTP clients.</summary>
public static class Extensions
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";

    /// <summary>
    /// Tags a check whose <see cref="HealthStatus.Degraded"/> also makes <c>/health</c> answer 503: a state that is
    /// not ready but not an error either (the gateway before its revocation list is loaded), so it is not logged as one.
    /// </summary>
    public const string ReadinessTag = "readiness";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            // Hosting's request scope carries the request's path, and a path may carry an invitation token. Records
            // are tied to their request by the trace and span ids, which come from the activity, not from scopes.
            logging.IncludeScopes = false;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "Npgsql", "TeamPlatform.*"))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(TraceSamplingRatio(builder.Configuration))))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("MassTransit", "Npgsql", "TeamPlatform.*")
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    aspNetCore.Filter = context => !IsProbe(context.Request.Path);
                    aspNetCore.EnrichWithHttpRequest = (activity, request) =>
                        TelemetryRedaction.RedactIncoming(activity, request.Path.Value, request.QueryString.Value);
                })
                .AddHttpClientInstrumentation(http =>
                {
                    http.FilterHttpRequestMessage = request => !IsProbe(request.RequestUri?.AbsolutePath);
                    // The runtime records the address with its query as `?*`: the keys say more, the values never.
                    http.EnrichWithHttpRequestMessage = TelemetryRedaction.RedactOutgoing;
                }));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// The share of traces recorded (<c>Telemetry:TraceSamplingRatio</c>, default 1: every request, as an operator
    /// debugging wants). A request whose caller sampled it is always followed through.
    /// </summary>
    private static double TraceSamplingRatio(IConfiguration configuration) =>
        Math.Clamp(configuration.GetValue("Telemetry:TraceSamplingRatio", 1.0), 0.0, 1.0);

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        // What every check of a called service shares (ServiceHealthChecks.AddServiceHealthCheck adds one per service).
        builder.Services.AddOptions<ServiceHealthOptions>()
            .BindConfiguration(ServiceHealthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Each instance is asked once per check, bounded by the check's own timeout: the default client's circuit breaker,
        // shared by every instance of a service, would report the healthy ones with a dead one's failures.
#pragma warning disable EXTEXP0001 // Removing the default handler is marked experimental; nothing replaces it here.
        builder.Services.AddHttpClient(ServiceHealthCheck.ClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return builder;
    }

    /// <summary>
    /// <c>/alive</c>: the process answers. <c>/health</c> (readiness, docs/operations.md#health): 503 when a check is unhealthy (the
    /// service's own database) or a <see cref="ReadinessTag"/> check is not healthy; what the service merely depends
    /// on (the broker, the services it calls) reports <see cref="HealthStatus.Degraded"/> and leaves it ready. The body
    /// names every check and its status, so an operator sees which dependency is missing.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync }).DisableHttpMetrics();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") })
            .DisableHttpMetrics();
        return app;
    }

    // Probes every few seconds would drown the traces an operator looks for.
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthPath) || path.StartsWithSegments(AlivePath);

    private static bool IsProbe(string? path) =>
        path is not null && (path.StartsWith(HealthPath, StringComparison.Ordinal) || path.StartsWith(AlivePath, StringComparison.Ordinal));
}
