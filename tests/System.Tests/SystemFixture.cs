using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using TeamPlatform.Internal;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Testing;
using Xunit;

// One system at a time: these tests hold the system to time bounds (a blocked member refused within a second,
// replicas agreeing within 250 ms) that a second system starting beside it on the same two cores would take from it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace TeamPlatform.System.Tests;

/// <summary>
/// The whole system as <c>./run.sh</c> starts it (the AppHost: gateway, four services and the console, one of each), on
/// databases and a RabbitMQ virtual host of its own. One per test collection: starting it takes seconds, stopping it
/// more. The smoke tests run on it; the whole-system tests on <see cref="EveryProcessTwiceSystemFixture"/>.
/// </summary>
public class SystemFixture : IAsyncLifetime
{
    /// <summary>The secret of the development service client (<c>dev-service</c>, scope <c>permissions.check</c>).</summary>
    public const string ServiceClientSecret = "system-tests-service-client-secret-0123456789";

    private DistributedApplication? _app;
    private readonly ConcurrentQueue<(string Resource, string Line)> _logs = new();

    static SystemFixture()
    {
        // The test platform keeps two pool threads blocked for the whole run, and the orchestrator's client blocks others
        // while it reads some answers. With the pool's floor at the core count, a response a test waits for then sits
        // queued until the pool adds a thread, half a second or more, and shows as the system's time (docs/reliability.md).
        ThreadPool.GetMinThreads(out var workers, out var completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), completions);
    }

    public HttpClient Gateway { get; private set; } = null!;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The system has not started.");

    /// <summary>Every line the gateway, the services and the console have written since the system started.</summary>
    public IReadOnlyCollection<(string Resource, string Line)> Logs => _app is not null
        ? _logs
        : throw new InvalidOperationException("A system started elsewhere (TP_GATEWAY_URL) keeps its logs to itself.");

    /// <summary>
    /// Runs a statement in one service's database of this system: a test ages an invitation there, since no lifetime is
    /// shorter than a day.
    /// </summary>
    public async Task ExecuteSqlAsync(string service, string sql, params object[] parameters)
    {
        // The AppHost names each service's database "{service}db"; a system already running uses run.sh's prefix.
        var connectionString = _app is not null
            ? await _app.GetConnectionStringAsync($"{service}db")
            : $"{(await TestServers.Instance).Postgres};Database=teamplatform_{service}";
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The AMQP address of this system's own virtual host.</summary>
    public string BrokerAddress { get; private set; } = "";

    /// <summary>Instances of every process (<c>Replicas:{process}</c> in the AppHost): 1, as <c>./run.sh</c> starts it.</summary>
    protected virtual int Replicas => 1;

    /// <summary>Instances of the processes that run a number of their own, whatever <see cref="Replicas"/> says.</summary>
    protected virtual IReadOnlyDictionary<string, int> ReplicasOf { get; } = new Dictionary<string, int>();

    private static readonly string[] Processes =
        [ServiceNames.Identity, ServiceNames.Permission, ServiceNames.Invitation, ServiceNames.Notification, ServiceNames.Console, ServiceNames.Gateway];

    private int InstancesOf(string process) => ReplicasOf.TryGetValue(process, out var count) ? count : Replicas;

    /// <summary>
    /// What clients reach on port 5080 under <c>./run.sh</c>: the gateway, or the edge in front of several gateways.
    /// </summary>
    public string Front => InstancesOf(ServiceNames.Gateway) > 1 ? ServiceNames.Edge : ServiceNames.Gateway;

    /// <summary>One instance alone, by its resource name (<c>permission</c>, <c>permission-b</c>, <c>gateway-b</c>…).</summary>
    public HttpClient Instance(string name) => App.CreateHttpClient(name, "http");

    /// <summary>The resource names of every instance of <paramref name="process"/>: <c>permission</c>, <c>permission-b</c>…</summary>
    public IReadOnlyList<string> InstancesNamed(string process) =>
        Enumerable.Range(0, InstancesOf(process)).Select(i => i == 0 ? process : $"{process}-{(char)('a' + i)}").ToList();

    /// <summary>Every project the system runs, each instance by its resource name (the edge included when it runs).</summary>
    public IReadOnlyList<string> ProjectNames =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Select(p => p.Name).ToList();

    /// <summary>The PostgreSQL server the system's databases live on: the shared one, unless a fixture brings its own.</summary>
    protected virtual Task<string> PostgresAsync(TestServers servers) => Task.FromResult(servers.Postgres);

    /// <summary>A fixture's own settings of the resources, applied before the system is built.</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    public virtual async Task InitializeAsync()
    {
        // A system already running (./run.sh) serves journeys being written: TP_GATEWAY_URL=http://localhost:5080.
        // Whatever its topology: the tests that address one instance or read the logs say the system is not theirs.
        if (Environment.GetEnvironmentVariable("TP_GATEWAY_URL") is { Length: > 0 } running)
        {
            Gateway = new HttpClient { BaseAddress = new Uri(running) };
            return;
        }

        var servers = await TestServers.Instance;
        BrokerAddress = await servers.NewVirtualHostAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeamPlatform_AppHost>(
        [
            "--Servers:Mode=local",
            $"--Servers:DatabasePrefix={servers.NewDatabasePrefix()}",
            $"--ConnectionStrings:postgres={await PostgresAsync(servers)}",
            $"--ConnectionStrings:rabbitmq={BrokerAddress}",
            $"--Parameters:dev-service-client-secret={ServiceClientSecret}",
            .. Processes.Select(process => $"--Replicas:{process}={InstancesOf(process)}"),
        ]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        // A slow answer on two busy cores is retried only when asking again cannot do the thing twice: a retried
        // POST /api/orgs whose first try had gone through answers 409 slug_taken.
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(resilience =>
        {
            resilience.Retry.DisableForUnsafeHttpMethods();
            resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
        }));
        Configure(builder);

        _app = await builder.BuildAsync();
        // A whole system of six processes (thirteen with two of each, started primaries first) on two cores: generous,
        // since a slow start is not what these tests judge.
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(Processes.Sum(InstancesOf) > Processes.Length ? 10 : 5));
        await _app.StartAsync(startup.Token);
        WatchLogs(_app);
        // The gateway does not wait for the services (it answers 503 for one still starting): the tests do.
        await Task.WhenAll(_app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>()
            .Select(project => _app.ResourceNotifications.WaitForResourceHealthyAsync(project.Name, startup.Token)));
        await WaitForConsumersAsync(servers, startup.Token);
        Gateway = _app.CreateHttpClient(Front, "http");
    }

    /// <summary>
    /// Healthy is not yet listening: a command sent to the notification service before it has bound its queue is dropped by
    /// the broker (the first code of a short run would never come). Waits until the notification commands' queue has a
    /// consumer on each notification instance.
    /// </summary>
    private async Task WaitForConsumersAsync(TestServers servers, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var queues = await servers.QueuesAsync(BrokerAddress);
            if (queues.Any(q => q.Name.StartsWith(CommandQueues.Notification, StringComparison.Ordinal) && q.Consumers >= InstancesOf(ServiceNames.Notification)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The notification commands' queue has no consumer yet; queues: {string.Join(", ", queues.Select(q => $"{q.Name}:{q.Consumers}"))}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>
    /// Keeps every line each project writes, from its start (a process's output is streamed to those who watch it, from
    /// its first line); the watches end
    /// when the system is disposed, which completes every log stream.
    /// </summary>
    private void WatchLogs(DistributedApplication app)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var project in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>())
        {
            _ = Task.Run(async () =>
            {
                await foreach (var batch in logs.WatchAsync(project))
                {
                    foreach (var line in batch)
                    {
                        _logs.Enqueue((project.Name, line.Content));
                    }
                }
            });
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>
/// One headless Chromium for the console's journeys, launched by the first of them: the collection's other tests
/// (run alone with a filter, say) need no browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly Lazy<Task<Console.ConsoleBrowser>> _browser = new(Console.ConsoleBrowser.LaunchAsync);

    public async Task JourneyAsync(string name, Uri gateway, Func<Console.Journey, Task> steps) =>
        await (await _browser.Value).JourneyAsync(name, gateway, steps);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser.IsValueCreated)
        {
            await (await _browser.Value).DisposeAsync();
        }
    }
}

/// <summary>The system with two permission replicas, <c>permission</c> and <c>permission-b</c>: the fault suite's.</summary>
public class ReplicatedSystemFixture : SystemFixture
{
    protected override IReadOnlyDictionary<string, int> ReplicasOf { get; } = new Dictionary<string, int> { [ServiceNames.Permission] = 2 };

    public HttpClient Replica(string name) => Instance(name);
}

/// <summary>
/// Two of every process (<c>gateway</c> and <c>gateway-b</c>, <c>identity</c> and <c>identity-b</c>…), the edge in front of
/// the gateways as <see cref="SystemFixture.Gateway"/>: the topology every whole-system test runs against.
/// </summary>
public class EveryProcessTwiceSystemFixture : SystemFixture
{
    /// <summary>How often each invitation instance sweeps for expiries here: a test waits for a few sweeps of both.</summary>
    public static readonly TimeSpan ExpirySweepInterval = TimeSpan.FromSeconds(2);

    private OtlpCapture? _telemetry;

    protected override int Replicas => 2;

    /// <summary>What every process exported to its OpenTelemetry collector since the system started.</summary>
    public OtlpCapture Telemetry => _telemetry ?? throw new InvalidOperationException("A system started elsewhere (TP_GATEWAY_URL) exports to its own collector.");

    public override async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("TP_GATEWAY_URL") is not { Length: > 0 })
        {
            _telemetry = await OtlpCapture.StartAsync();
        }

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_telemetry is not null)
        {
            await _telemetry.DisposeAsync();
        }
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var resource = builder.CreateResourceBuilder(project);
            // The collector the dashboard would be, in this process; the batches sent every second, as under ./run.sh.
            resource.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Telemetry.Endpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_SERVICE_NAME", project.Name)
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "1000")
                .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "1000")
                .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "10000");
            if (project.Name.StartsWith(ServiceNames.Invitation, StringComparison.Ordinal))
            {
                resource.WithEnvironment("Invitations__ExpirySweepInterval", ExpirySweepInterval.ToString("c", global::System.Globalization.CultureInfo.InvariantCulture));
            }

            // Which endpoint each instance ran, by its route pattern (never a path's values nor a query): the tests see
            // that calls reach every instance of a service, not only the first.
            if (!project.Name.StartsWith(ServiceNames.Gateway, StringComparison.Ordinal) && !project.Name.StartsWith(ServiceNames.Edge, StringComparison.Ordinal))
            {
                resource.WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore.Routing.EndpointMiddleware", "Information");
            }
        }
    }
}

/// <summary>Every whole-system test, on one system of two of every process behind the edge.</summary>
[CollectionDefinition(nameof(SystemCollection))]
public sealed class SystemCollection : ICollectionFixture<EveryProcessTwiceSystemFixture>, ICollectionFixture<BrowserFixture>;

/// <summary>A short smoke run on one of each process, as <c>./run.sh</c> starts it.</summary>
[CollectionDefinition(nameof(SmokeCollection))]
public sealed class SmokeCollection : ICollectionFixture<SystemFixture>, ICollectionFixture<BrowserFixture>;
