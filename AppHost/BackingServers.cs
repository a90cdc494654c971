using System.Diagnostics;
using Microsoft.Extensions.Configuration;

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
