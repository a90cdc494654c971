using Microsoft.Extensions.Configuration;
using TeamPlatform.Internal;

namespace TeamPlatform.AppHost;

/// <summary>How each process is declared: its instances, its database and broker, and what it is told.</summary>
internal static class Topology
{
    public static BackingServers AddBackingServers(this IDistributedApplicationBuilder builder) => BackingServers.Create(builder);

    /// <summary><c>Replicas:{name}</c>: how many instances of the process run (1 unless configured).</summary>
    public static int ReplicasOf(this IDistributedApplicationBuilder builder, string name) =>
        Math.Max(1, builder.Configuration.GetValue($"Replicas:{name}", 1));

    /// <summary>
    /// A process as <c>Replicas:{name}</c> instances. The replicas take a free port each instead of the launch profile's
    /// and start once the primary is healthy: two processes creating one database at the same moment would make one of
    /// them fail, so the primary migrates first.
    /// </summary>
    public static Instances AddInstances<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var primary = builder.AddProject<TProject>(name);
        var replicas = Enumerable.Range(1, builder.ReplicasOf(name) - 1)
            .Select(i => builder.AddProject<TProject>(Instances.InstanceName(name, i)).WithDiscoveredEndpoint().WaitFor(primary))
            .ToList();
        return new Instances(primary, replicas);
    }

    /// <summary>A TeamPlatform service: its own database, the broker, the internal key and the public issuer, in every instance.</summary>
    public static Instances AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        BackingServers servers,
        IResourceBuilder<ParameterResource> internalKey,
        EndpointReference publicUrl)
        where TProject : IProjectMetadata, new()
    {
        var database = servers.Database(name);
        return builder.AddInstances<TProject>(name).Each(instance => instance
            .WithDiscoveredEndpoint()
            .WithReference(database).WaitFor(database)
            .WithReference(servers.Broker).WaitFor(servers.Broker)
            .WithEnvironment("InternalServices__Key", internalKey)
            .WithEnvironment("Authentication__Issuer", publicUrl)
            .WithEnvironment("TeamPlatform__PublicBaseUrl", publicUrl)
            .WithTraceSampling(builder.Configuration)
            .WithHttpHealthCheck("/health"));
    }

    /// <summary>
    /// The gateways. One keeps the launch profile's port 5080 (behind Aspire's proxy, as clients have always reached it);
    /// several take free ports each and the edge takes 5080 in front of them (docs/decisions/0017-several-gateways.md).
    /// </summary>
    public static Instances AddGateways<TProject>(this IDistributedApplicationBuilder builder)
        where TProject : IProjectMetadata, new()
    {
        var gateways = builder.AddInstances<TProject>(ServiceNames.Gateway);
        if (gateways.Replicas.Count == 0)
        {
            gateways.Primary.WithExternalHttpEndpoints();
        }
        else
        {
            gateways.Primary.WithDiscoveredEndpoint();
        }

        return gateways;
    }

    /// <summary>
    /// What clients reach on port 5080: the gateway itself when there is one, else the edge, which spreads them over
    /// every gateway and stops sending to one that does not answer. It presents the proxy key, so that the gateways
    /// believe the client address it forwards.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddFront<TEdge>(
        this IDistributedApplicationBuilder builder,
        Instances gateways,
        IResourceBuilder<ParameterResource> proxyKey)
        where TEdge : IProjectMetadata, new()
    {
        if (gateways.Replicas.Count == 0)
        {
            return gateways.Primary;
        }

        var edge = builder.AddProject<TEdge>(ServiceNames.Edge)
            .WithExternalHttpEndpoints()
            .WithEnvironment("TrustedProxies__Key", proxyKey)
            .WithHttpHealthCheck("/health")
            .WithTraceSampling(builder.Configuration);
        new Instances(edge, []).WithReference(gateways);
        return edge;
    }

    /// <summary>
    /// The web console: its own database (sessions, the sign-ins in progress, its Data Protection keys) and the key that
    /// makes each side believe the client address the other forwards. It calls only the public API, through the front:
    /// the gateway, or the edge, which leaves out a gateway that died (service discovery's turns would not).
    /// </summary>
    public static Instances AddConsole<TProject>(
        this IDistributedApplicationBuilder builder,
        BackingServers servers,
        IResourceBuilder<ProjectResource> front,
        IResourceBuilder<ParameterResource> proxyKey)
        where TProject : IProjectMetadata, new()
    {
        var database = servers.Database(ServiceNames.Console);
        return builder.AddInstances<TProject>(ServiceNames.Console)
            .Each(instance => instance
                .WithDiscoveredEndpoint()
                .WithReference(database).WaitFor(database)
                .WithReference(front)
                .WithEnvironment("Console__GatewayUrl", $"http://{front.Resource.Name}")
                .WithEnvironment("TrustedProxies__Key", proxyKey)
                .WithHttpHealthCheck("/health")
                .WithTraceSampling(builder.Configuration));
    }

    /// <summary>
    /// The gateway's own database (<c>gatewaydb</c>): the rate limit counts that every gateway instance shares, one
    /// database however many gateways there are. Not waited for: the gateway starts without it, its limits failing open
    /// until it answers (docs/decisions/0016-shared-rate-limit.md).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGatewayDatabase(this IResourceBuilder<ProjectResource> gateway, BackingServers servers) =>
        gateway.WithReference(servers.Database(ServiceNames.Gateway));

    /// <summary>Passes <c>Telemetry:TraceSamplingRatio</c> on when set (load runs record a share of traces).</summary>
    public static IResourceBuilder<ProjectResource> WithTraceSampling(this IResourceBuilder<ProjectResource> project, IConfiguration configuration) =>
        configuration["Telemetry:TraceSamplingRatio"] is { Length: > 0 } ratio
            ? project.WithEnvironment("Telemetry__TraceSamplingRatio", ratio)
            : project;

    // Services, the console and gateways behind the edge are reached by service discovery, so they need no fixed port, nor
    // Aspire's proxy in front (a hop on every call); what clients reach on 5080 keeps its own.
    private static IResourceBuilder<ProjectResource> WithDiscoveredEndpoint(this IResourceBuilder<ProjectResource> project) =>
        project.WithEndpoint("http", endpoint =>
        {
            endpoint.IsProxied = false;
            endpoint.Port = null;
        });
}
