using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Security;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Transforms;

namespace TeamPlatform.Edge;

public sealed class EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>How often each gateway's <c>/health</c> is asked; a gateway not ready twice in a row gets no requests.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one gateway's answer to <c>/health</c> may take before it counts as not ready.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a gateway that refused a connection is left out before requests may try it again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReactivationPeriod { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The local front on port 5080 when several gateways run (docs/decisions/0017-several-gateways.md): every request,
/// <c>/health</c> included, to one of the gateways that <c>http://gateway</c> resolves to. A gateway is left out once it
/// refuses a connection or fails its readiness twice, and a request it refused before anything was sent goes to another.
/// </summary>
public static class EdgeProxy
{
    public const string Cluster = ServiceNames.Gateway;

    public static WebApplicationBuilder AddEdge(this WebApplicationBuilder builder)
    {
        builder.AddTrustedProxies();
        builder.Services.AddOptions<EdgeOptions>()
            .BindConfiguration(EdgeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(EdgeOptions.Section).Get<EdgeOptions>() ?? new EdgeOptions();

        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, FirstTransportFailure>();
        builder.Services.AddReverseProxy()
            .LoadFromMemory([Route], [Gateways(options)])
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms =>
            {
                // The gateways believe the client address the edge forwards (X-Forwarded-For, set by YARP's defaults).
                var proxyKey = transforms.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.Key;
                if (proxyKey.Length > 0)
                {
                    transforms.AddRequestHeader(TrustedProxies.KeyHeader, proxyKey, append: false);
                }
            });
        return builder;
    }

    public static WebApplication UseEdge(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<AnotherGatewayOnRefusal>();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    private static RouteConfig Route => new()
    {
        RouteId = "everything",
        ClusterId = Cluster,
        Match = new RouteMatch { Path = "/{**path}" },
    };

    /// <summary>One destination, <c>http://gateway</c>, which service discovery turns into one per gateway.</summary>
    public static ClusterConfig Gateways(EdgeOptions options) => new()
    {
        ClusterId = Cluster,
        Destinations = new Dictionary<string, DestinationConfig>
        {
            [Cluster] = new() { Address = $"http://{ServiceNames.Gateway}" },
        },
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = options.HealthCheckInterval,
                Timeout = options.HealthCheckTimeout,
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = "/health",
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = FirstTransportFailure.Name,
                ReactivationPeriod = options.ReactivationPeriod,
            },
        },
    };
}
