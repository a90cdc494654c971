using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Npgsql;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.System.Tests.Faults;

/// <summary>
/// The whole system with two permission replicas, on a PostgreSQL server and a RabbitMQ virtual host of its own, so
/// that the fault tests may kill its processes, restart its database and cut its broker without harming anything
/// else on the machine. The gateway gives a silent service <see cref="ServiceTimeout"/> instead of 30 s, so that a
/// frozen service shows in a test's time.
/// </summary>
public sealed class FaultSystemFixture : ReplicatedSystemFixture
{
    public static readonly TimeSpan ServiceTimeout = TimeSpan.FromSeconds(3);

    private RestartablePostgres? _postgres;

    public RestartablePostgres Postgres => _postgres ?? throw new InvalidOperationException("The system has not started.");

    public TestServers Servers { get; private set; } = null!;

    /// <summary>A client of the gateway with no resilience of its own: the tests count every answer the gateway gives.</summary>
    public HttpClient RawGateway { get; private set; } = null!;

    public ServiceProcesses Processes => new(App);

    protected override async Task<string> PostgresAsync(TestServers servers)
    {
        Servers = servers;
        _postgres = await RestartablePostgres.StartAsync(servers);
        return _postgres.ConnectionString;
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        var gateway = builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "gateway");
        builder.CreateResourceBuilder(gateway)
            .WithEnvironment("Gateway__ServiceTimeout", ServiceTimeout.ToString("c", global::System.Globalization.CultureInfo.InvariantCulture));
    }

    public override async Task InitializeAsync()
    {
        try
        {
            await base.InitializeAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }

        RawGateway = new HttpClient { BaseAddress = App.GetEndpoint("gateway", "http"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public override async Task DisposeAsync()
    {
        RawGateway?.Dispose();
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>Rows of a query in one service's database of this system, each as its columns by name.</summary>
    public async Task<List<Dictionary<string, object?>>> QueryAsync(string service, string sql)
    {
        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync($"{service}db"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount)
                .ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        }

        return rows;
    }
}

[CollectionDefinition(nameof(FaultCollection))]
public sealed class FaultCollection : ICollectionFixture<FaultSystemFixture>;
