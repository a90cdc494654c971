using Scalar.AspNetCore;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.Gateway.Health;
using TeamPlatform.Gateway.Routing;
using TeamPlatform.Gateway.Sessions;
using TeamPlatform.Gateway.Storage;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

namespace TeamPlatform.Gateway;

public static class GatewayExtensions
{
    public const string Name = ServiceNames.Gateway;

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.AddApiDefaults();
        builder.AddTrustedProxies();
        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddTokenAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(GatewayPolicies.Authenticated, policy => policy.RequireAuthenticatedUser());
        builder.Services.AddServiceMetrics<GatewayMetrics>();
        // The per-client counts live in the gateway's database, shared by every instance (gateway/Storage).
        builder.AddGatewayDatabase();
        builder.Services.AddAnonymousRateLimiting();
        // Ended sessions are refused here within a second (gateway/Sessions); identity's list is read at start.
        builder.AddMessageBus(Name, bus => bus.AddSessionRevocationConsumer(Name));
        builder.AddInternalAuthentication();
        builder.Services.AddSessionRevocation();

        builder.Services.AddReverseProxy()
            .LoadFromMemory(GatewayRoutes.Routes, GatewayRoutes.Clusters(builder.Configuration))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms =>
            {
                // Internal credentials never come from outside.
                transforms.AddRequestHeaderRemove(InternalAuthentication.KeyHeader);
                // The services and the console believe the client address the gateway forwards: the gateway is their trusted proxy.
                var proxyKey = transforms.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.Key;
                if (proxyKey.Length > 0)
                {
                    transforms.AddRequestHeader(TrustedProxies.KeyHeader, proxyKey, append: false);
                }
            });

        // Each instance is asked once per check, bounded by the check's own timeout: the default client's circuit breaker,
        // shared by every instance of a service, would report the healthy ones with a dead one's failures.
#pragma warning disable EXTEXP0001 // Removing the default handler is marked experimental; nothing replaces it here.
        builder.Services.AddHttpClient(ServiceHealthCheck.ClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        var health = builder.Services.AddHealthChecks();
        foreach (var service in GatewayRoutes.Clusters(builder.Configuration).Select(cluster => cluster.ClusterId))
        {
            health.Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                service,
                services => ActivatorUtilities.CreateInstance<ServiceHealthCheck>(services, service),
                failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded,
                tags: ["services"]));
        }

        return builder;
    }

    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<ServiceUnavailableAnswer>();

        app.MapDefaultEndpoints();
        app.MapScalarApiReference("/docs", scalar => scalar
            .WithTitle("TeamPlatform API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocuments(GatewayRoutes.Services));
        app.MapReverseProxy();
        return app;
    }
}
