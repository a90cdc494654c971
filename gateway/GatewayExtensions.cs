using Scalar.AspNetCore;
using TeamPlatform.Gateway.Edge;
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

        // Each service it routes to shows in its /health, degraded while one of its instances does not answer.
        foreach (var cluster in GatewayRoutes.Clusters(builder.Configuration))
        {
            builder.Services.AddServiceHealthCheck(cluster.ClusterId);
        }

        return builder;
    }

    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseMiddleware<ServerTiming>();
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
