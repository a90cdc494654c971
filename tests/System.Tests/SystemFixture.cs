using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamPlatform.Testing;
using Xunit;

// One system at a time: these tests hold the system to time bounds (a blocked member refused within a second,
// replicas agreeing within 250 ms) that a second system starting beside it on the same two cores would take from it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace TeamPlatform.System.Tests;

/// <summary>
/// The whole system as <c>./run.sh</c> starts it (the AppHost: gateway and four services), on databases and a
/// RabbitMQ virtual host of its own. One per test collection: starting it takes seconds, stopping it more.
/// </summary>
public class SystemFixture : IAsyncLifetime
{
    /// <summary>The secret of the development service client (<c>dev-service</c>, scope <c>permissions.check</c>).</summary>
    public const string ServiceClientSecret = "system-tests-service-client-secret-0123456789";

    private DistributedApplication? _app;
    private string _postgres = "";
    private string _databasePrefix = "teamplatform_";

    public HttpClient Gateway { get; private set; } = null!;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The system has not started.");

    /// <summary>
    /// Runs a statement in one service's database of this system: a test ages an invitation there, since no lifetime is
    /// shorter than a day.
    /// </summary>
    public async Task ExecuteSqlAsync(string service, string sql, params object[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection($"{_postgres};Database={_databasePrefix}{service}");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }

        await command.ExecuteNonQueryAsync();
    }

    protected virtual int PermissionReplicas => 1;

    public async Task InitializeAsync()
    {
        // A system already running (./run.sh) serves journeys being written: TP_GATEWAY_URL=http://localhost:5080.
        var servers = await TestServers.Instance;
        _postgres = servers.Postgres;
        if (this is not ReplicatedSystemFixture && Environment.GetEnvironmentVariable("TP_GATEWAY_URL") is { Length: > 0 } running)
        {
            Gateway = new HttpClient { BaseAddress = new Uri(running) };
            return;
        }

        _databasePrefix = servers.NewDatabasePrefix();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeamPlatform_AppHost>(
        [
            "--Servers:Mode=local",
            $"--Servers:DatabasePrefix={_databasePrefix}",
            $"--ConnectionStrings:postgres={servers.Postgres}",
            $"--ConnectionStrings:rabbitmq={await servers.NewVirtualHostAsync()}",
            $"--Parameters:dev-service-client-secret={ServiceClientSecret}",
            $"--Permission:Replicas={PermissionReplicas}",
        ]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        _app = await builder.BuildAsync();
        // A whole system of six processes on two cores: generous, since a slow start is not what these tests judge.
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await _app.StartAsync(startup.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);
        Gateway = _app.CreateHttpClient("gateway", "http");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(SystemCollection))]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>, ICollectionFixture<BrowserFixture>;

/// <summary>One headless Chromium for the console's journeys.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public Console.ConsoleBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync() => Browser = await Console.ConsoleBrowser.LaunchAsync();

    public async Task DisposeAsync() => await Browser.DisposeAsync();
}

/// <summary>The system with two permission replicas, <c>permission</c> and <c>permission-b</c>, each addressable alone.</summary>
public sealed class ReplicatedSystemFixture : SystemFixture
{
    protected override int PermissionReplicas => 2;

    public HttpClient Replica(string name) => App.CreateHttpClient(name, "http");
}

[CollectionDefinition(nameof(ReplicatedSystemCollection))]
public sealed class ReplicatedSystemCollection : ICollectionFixture<ReplicatedSystemFixture>;
