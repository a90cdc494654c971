using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamPlatform.Internal;
using TeamPlatform.Testing;

namespace TeamPlatform.Topologies;

/// <summary>
/// One whole system of the AppHost, started in this process with Aspire.Hosting.Testing on databases (a prefix of its
/// own) and a RabbitMQ virtual host of its own, so that two topologies run side by side on one machine without meeting.
/// Every instance listens on a port of its own with no Aspire proxy in front, the front included: what the driver
/// reaches is TeamPlatform's processes and nothing of Aspire's.
/// </summary>
public sealed class RunningSystem : IAsyncDisposable
{
    private static readonly string[] Processes =
        [ServiceNames.Identity, ServiceNames.Permission, ServiceNames.Invitation, ServiceNames.Notification, ServiceNames.Console, ServiceNames.Gateway];

    private readonly DistributedApplication _app;

    private RunningSystem(string name, DistributedApplication app, string brokerAddress, IReadOnlyList<string> resources, string front)
    {
        Name = name;
        _app = app;
        BrokerAddress = brokerAddress;
        Resources = resources;
        Front = front;
    }

    public string Name { get; }

    /// <summary>The AMQP address of the system's own virtual host.</summary>
    public string BrokerAddress { get; }

    /// <summary>Every process of the system by resource name (<c>gateway</c>, <c>gateway-b</c>, <c>edge</c>…).</summary>
    public IReadOnlyList<string> Resources { get; }

    /// <summary>What clients reach: the gateway with one, the edge with several.</summary>
    public string Front { get; }

    /// <summary>The address of one instance alone, on its own port.</summary>
    public Uri Address(string resource) => _app.GetEndpoint(resource, "http");

    /// <summary>The process id of each instance: the process listening on its port.</summary>
    public IReadOnlyDictionary<string, int> ProcessIds()
    {
        var listeners = ProcessCpu.Listeners();
        return Resources.Where(resource => listeners.ContainsKey(Address(resource).Port))
            .ToDictionary(resource => resource, resource => listeners[Address(resource).Port]);
    }

    /// <summary>Starts the AppHost with <paramref name="replicas"/> instances of the processes named there, one of the others.</summary>
    public static async Task<RunningSystem> StartAsync(string name, IReadOnlyDictionary<string, int> replicas, string serviceClientSecret, string traceSampling)
    {
        var servers = await TestServers.Instance;
        var brokerAddress = await servers.NewVirtualHostAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeamPlatform_AppHost>(
        [
            "--Servers:Mode=local",
            $"--Servers:DatabasePrefix={servers.NewDatabasePrefix()}",
            $"--ConnectionStrings:postgres={servers.Postgres}",
            $"--ConnectionStrings:rabbitmq={brokerAddress}",
            $"--Parameters:dev-service-client-secret={serviceClientSecret}",
            $"--Telemetry:TraceSamplingRatio={traceSampling}",
            .. Processes.Select(process => $"--Replicas:{process}={replicas.GetValueOrDefault(process, 1)}"),
        ]);
        // Every line each process writes is forwarded as a log of the AppHost's "Resources" category: only the warnings,
        // unless TP_BENCH_PROCESS_LOGS=1 asks for every line (a process that does not start says why there).
        var processLogs = Environment.GetEnvironmentVariable("TP_BENCH_PROCESS_LOGS") == "1" ? LogLevel.Information : LogLevel.Warning;
        // The AppHost's health probes fail loudly until each process listens; a start that never ends says which failed.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("TeamPlatform.AppHost.Resources", processLogs)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", processLogs == LogLevel.Information ? LogLevel.Warning : LogLevel.Critical));

        // The front keeps the launch profile's port 5080 behind Aspire's development proxy under ./run.sh; here it takes a
        // free port of its own like every other instance, so that two systems can run at once and no proxy is measured.
        var projects = builder.Resources.OfType<ProjectResource>().ToList();
        foreach (var endpoint in projects.SelectMany(project => project.Annotations.OfType<EndpointAnnotation>()).Where(e => e.Name == "http"))
        {
            endpoint.IsProxied = false;
            endpoint.Port = null;
        }

        var app = await builder.BuildAsync();
        try
        {
            // Generous: under other engineers' builds (load average 50–150) a system of eight processes took over 5 minutes.
            using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(20));
            await app.StartAsync(startup.Token);
            await Task.WhenAll(projects.Select(project => app.ResourceNotifications.WaitForResourceHealthyAsync(project.Name, startup.Token)));
        }
        catch
        {
            // Stopping the application stops every process it started; left alone they would outlive this one.
            await app.StopAsync();
            await app.DisposeAsync();
            throw;
        }

        var front = replicas.GetValueOrDefault(ServiceNames.Gateway, 1) > 1 ? ServiceNames.Edge : ServiceNames.Gateway;
        return new RunningSystem(name, app, brokerAddress, [.. projects.Select(project => project.Name)], front);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
