using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using TeamPlatform.Internal;

namespace TeamPlatform.AppHost;

/// <summary>
/// PostgreSQL (one database per service) and RabbitMQ: containers when a container engine answers,
/// the local servers otherwise. Aspire refuses to start at all when a container resource is declared and
/// the engine is unhealthy, so the choice is made before anything is declared.
/// See docs/decisions/0002-container-fallback.md.
/// </summary>
internal sealed class BackingServers
{
    private readonly Func<string, IResourceBuilder<IResourceWithConnectionString>> _database;
    private readonly Dictionary<string, IResourceBuilder<IResourceWithConnectionString>> _databases = [];

    private BackingServers(IResourceBuilder<IResourceWithConnectionString> broker, Func<string, IResourceBuilder<IResourceWithConnectionString>> database)
    {
        Broker = broker;
        _database = database;
    }

    public IResourceBuilder<IResourceWithConnectionString> Broker { get; }

    /// <summary>The database of <paramref name="service"/>, as the connection named <c>{service}db</c> (one resource, however many replicas ask).</summary>
    public IResourceBuilder<IResourceWithConnectionString> Database(string service)
    {
        if (!_databases.TryGetValue(service, out var database))
        {
            _databases[service] = database = _database(service);
        }

        return database;
    }

    public static BackingServers Create(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var mode = configuration["Servers:Mode"] ?? "auto";
        var postgres = configuration.GetConnectionString("postgres");
        var rabbitmq = configuration.GetConnectionString("rabbitmq");
        var useContainers = mode switch
        {
            "containers" => true,
            "local" => false,
            _ => string.IsNullOrEmpty(postgres) && string.IsNullOrEmpty(rabbitmq) && ContainerEngineAnswers(),
        };

        return useContainers ? Containers(builder) : LocalServers(builder, postgres, rabbitmq);
    }

    private static BackingServers Containers(IDistributedApplicationBuilder builder)
    {
        // Same major versions as the Debian servers, so both paths behave alike.
        var postgres = builder.AddPostgres("postgres").WithImageTag("15").WithDataVolume("teamplatform-postgres");
        var rabbitmq = builder.AddRabbitMQ("rabbitmq").WithManagementPlugin().WithImageTag("3.13-management");
        return new BackingServers(rabbitmq, service => postgres.AddDatabase($"{service}db", service));
    }

    private static BackingServers LocalServers(IDistributedApplicationBuilder builder, string? postgres, string? rabbitmq)
    {
        var configuration = builder.Configuration;
        postgres = string.IsNullOrEmpty(postgres) ? configuration["LocalServers:Postgres"] : postgres;
        rabbitmq = string.IsNullOrEmpty(rabbitmq) ? configuration["LocalServers:RabbitMq"] : rabbitmq;
        var prefix = configuration["Servers:DatabasePrefix"] ?? "teamplatform_";

        configuration["ConnectionStrings:rabbitmq"] = rabbitmq;
        var broker = builder.AddConnectionString("rabbitmq");
        return new BackingServers(broker, service =>
        {
            var name = $"{service}db";
            configuration[$"ConnectionStrings:{name}"] = $"{postgres};Database={prefix}{service}";
            return builder.AddConnectionString(name);
        });
    }

    private static bool ContainerEngineAnswers()
    {
        var cli = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(cli, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (probe is null)
            {
                return false;
            }

            probe.StandardOutput.ReadToEndAsync();
            probe.StandardError.ReadToEndAsync();
            if (!probe.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such program
        }
    }
}

internal static class AppHostExtensions
{
    public static BackingServers AddBackingServers(this IDistributedApplicationBuilder builder) => BackingServers.Create(builder);

    /// <summary>A TeamPlatform service: its own database, the broker, the internal key and the public issuer.</summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        BackingServers servers,
        IResourceBuilder<ParameterResource> internalKey,
        EndpointReference publicUrl)
        where TProject : IProjectMetadata, new()
    {
        return builder.AddProject<TProject>(name).AsService(name, servers, internalKey, publicUrl);
    }

    /// <summary>
    /// Further replicas of <paramref name="primary"/> (<c>{name}-b</c>, <c>{name}-c</c>…): named resources of their
    /// own, so that each can be addressed alone, on the same database and broker. Each takes a free port instead of
    /// the launch profile's, and starts once the primary is healthy: two processes creating the database at the
    /// same moment would make one of them fail.
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<ProjectResource>> AddServiceReplicas<TProject>(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> primary,
        int replicas,
        BackingServers servers,
        IResourceBuilder<ParameterResource> internalKey,
        EndpointReference publicUrl)
        where TProject : IProjectMetadata, new()
    {
        var service = primary.Resource.Name;
        return Enumerable.Range(1, Math.Max(0, replicas - 1)).Select(i => builder.AddProject<TProject>($"{service}-{(char)('a' + i)}")
            .WithEndpoint("http", endpoint => endpoint.Port = null)
            .WaitFor(primary)
            .AsService(service, servers, internalKey, publicUrl)).ToList();
    }

    // Services and the console are reached by service discovery, so they need no fixed port, nor Aspire's proxy in front
    // (a hop on every call from the gateway and between services); the gateway keeps its own.
    private static IResourceBuilder<ProjectResource> WithDiscoveredEndpoint(this IResourceBuilder<ProjectResource> project) =>
        project.WithEndpoint("http", endpoint =>
        {
            endpoint.IsProxied = false;
            endpoint.Port = null;
        });

    private static IResourceBuilder<ProjectResource> AsService(
        this IResourceBuilder<ProjectResource> project,
        string service,
        BackingServers servers,
        IResourceBuilder<ParameterResource> internalKey,
        EndpointReference publicUrl)
    {
        var database = servers.Database(service);
        return project
            .WithDiscoveredEndpoint()
            .WithReference(database).WaitFor(database)
            .WithReference(servers.Broker).WaitFor(servers.Broker)
            .WithEnvironment("InternalServices__Key", internalKey)
            .WithEnvironment("Authentication__Issuer", publicUrl)
            .WithEnvironment("TeamPlatform__PublicBaseUrl", publicUrl)
            .WithTraceSampling(project.ApplicationBuilder.Configuration)
            .WithHttpHealthCheck("/health");
    }

    /// <summary>
    /// The web console: its own database (sessions, the sign-ins in progress, its Data Protection keys), the gateway as the
    /// only API it calls, and the key that makes each side believe the client address the other forwards.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddConsole<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        BackingServers servers,
        IResourceBuilder<ProjectResource> gateway,
        IResourceBuilder<ParameterResource> proxyKey)
        where TProject : IProjectMetadata, new()
    {
        var database = servers.Database(name);
        var console = builder.AddProject<TProject>(name)
            .WithDiscoveredEndpoint()
            .WithReference(database).WaitFor(database)
            .WithReference(gateway)
            .WithEnvironment("TrustedProxies__Key", proxyKey)
            .WithHttpHealthCheck("/health");
        return console.WithTraceSampling(builder.Configuration);
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

    /// <summary>Routes the gateway's cluster for <paramref name="service"/> to every replica (see gateway/Routing/GatewayRoutes.cs).</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(
        this IResourceBuilder<ProjectResource> gateway,
        string service,
        IReadOnlyList<IResourceBuilder<ProjectResource>> replicas)
    {
        if (replicas.Count == 0)
        {
            return gateway;
        }

        gateway.WithEnvironment($"Gateway__Destinations__{service}__0", service);
        for (var i = 0; i < replicas.Count; i++)
        {
            gateway.WithReference(replicas[i])
                .WithEnvironment($"Gateway__Destinations__{service}__{i + 1}", replicas[i].Resource.Name);
        }

        return gateway;
    }
}
