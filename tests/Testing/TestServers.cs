using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace TeamPlatform.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ every test runs against: Testcontainers when a container engine
/// answers, the local servers (started by test.sh) otherwise. One per test process; each test host gets
/// its own databases and its own RabbitMQ virtual host, so test projects running side by side never meet.
/// </summary>
public sealed class TestServers
{
    private static readonly Lazy<Task<TestServers>> Shared = new(StartAsync);
    private static readonly string RunId = $"{DateTime.UtcNow:MMddHHmmss}{Environment.ProcessId % 10000:D4}";
    private readonly List<string> _virtualHosts = [];
    private readonly RabbitMqContainer? _rabbitContainer;
    private int _counter;

    private TestServers(string kind, string postgres, Uri rabbitMq, Uri management, RabbitMqContainer? rabbitContainer)
    {
        Kind = kind;
        Postgres = postgres;
        RabbitMq = rabbitMq;
        Management = management;
        _rabbitContainer = rabbitContainer;
    }

    /// <summary><c>containers</c> or <c>local</c>.</summary>
    public string Kind { get; }

    /// <summary>A server-level connection string (no database).</summary>
    public string Postgres { get; }

    /// <summary>The broker's AMQP address (default virtual host).</summary>
    public Uri RabbitMq { get; }

    private Uri Management { get; }

    public static Task<TestServers> Instance => Shared.Value;

    /// <summary>A name prefix for databases that no other test host uses.</summary>
    public string NewDatabasePrefix()
    {
        return $"tp_test_{RunId}_{Interlocked.Increment(ref _counter)}_";
    }

    /// <summary>A connection string to a database of its own (created by the service's migrations).</summary>
    public string NewDatabase(string service) => $"{Postgres};Database={NewDatabasePrefix()}{service}";

    /// <summary>Creates an empty virtual host and returns its AMQP address.</summary>
    public async Task<string> NewVirtualHostAsync()
    {
        var name = $"tp_test_{RunId}_{Interlocked.Increment(ref _counter)}";
        using var http = ManagementClient();
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var user = RabbitMq.UserInfo.Split(':')[0];
        using var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{name}/{user}", permissions)).EnsureSuccessStatusCode();
        lock (_virtualHosts)
        {
            _virtualHosts.Add(name);
        }

        return new UriBuilder(RabbitMq) { Path = "/" + name }.Uri.ToString();
    }

    /// <summary>
    /// The broker gone for one virtual host only: its connection limit set to 0, so that every client's reconnection is
    /// refused, and every connection it has closed. The node and every other virtual host are untouched, so this works on
    /// a broker that other tests share. <see cref="RestoreVirtualHostAsync"/> lifts the limit.
    /// </summary>
    public async Task CutVirtualHostAsync(string amqpAddress)
    {
        var vhost = VirtualHostOf(amqpAddress);
        using var http = ManagementClient();
        using var limit = new StringContent("""{"value":0}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/vhost-limits/{vhost}/max-connections", limit)).EnsureSuccessStatusCode();
        // The management API lists a connection opened a moment before the limit only at its next statistics tick (5 s).
        var closing = Stopwatch.StartNew();
        while ((await CloseConnectionsAsync(http, vhost) > 0 && closing.Elapsed < TimeSpan.FromSeconds(30)) || closing.Elapsed < TimeSpan.FromSeconds(6))
        {
            await Task.Delay(500);
        }
    }

    public async Task RestoreVirtualHostAsync(string amqpAddress)
    {
        using var http = ManagementClient();
        var response = await http.DeleteAsync($"api/vhost-limits/{VirtualHostOf(amqpAddress)}/max-connections");
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The queues of the virtual host now, as the management API lists them.</summary>
    public async Task<IReadOnlyList<BrokerQueue>> QueuesAsync(string amqpAddress)
    {
        using var http = ManagementClient();
        var queues = await http.GetFromJsonAsync<List<BrokerQueue>>($"api/queues/{VirtualHostOf(amqpAddress)}?columns=name,type,messages,consumers");
        return queues!;
    }

    /// <summary>The names of the virtual host's exchanges now.</summary>
    public async Task<IReadOnlyList<string>> ExchangeNamesAsync(string amqpAddress)
    {
        using var http = ManagementClient();
        var exchanges = await http.GetFromJsonAsync<List<BrokerQueue>>($"api/exchanges/{VirtualHostOf(amqpAddress)}?columns=name");
        return exchanges!.Select(e => e.Name).ToList();
    }

    /// <summary>The clients connected to the virtual host now, as the management API lists them.</summary>
    public async Task<int> VirtualHostConnectionsAsync(string amqpAddress)
    {
        using var http = ManagementClient();
        return (await ConnectionNamesAsync(http, VirtualHostOf(amqpAddress))).Count;
    }

    private static async Task<int> CloseConnectionsAsync(HttpClient http, string vhost)
    {
        var names = await ConnectionNamesAsync(http, vhost);
        foreach (var name in names)
        {
            using var close = new HttpRequestMessage(HttpMethod.Delete, $"api/connections/{Uri.EscapeDataString(name)}");
            close.Headers.Add("X-Reason", "broker outage of a fault test");
            await http.SendAsync(close); // one closed meanwhile answers 404
        }

        return names.Count;
    }

    private static async Task<List<string>> ConnectionNamesAsync(HttpClient http, string vhost)
    {
        var connections = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/vhosts/{vhost}/connections");
        return connections.EnumerateArray().Select(connection => connection.GetProperty("name").GetString()!).ToList();
    }

    private static string VirtualHostOf(string amqpAddress) => new Uri(amqpAddress).AbsolutePath.TrimStart('/') is { Length: > 0 } name
        ? Uri.EscapeDataString(Uri.UnescapeDataString(name))
        : "%2F";

    /// <summary>Stops the broker's application (the node stays up): every client sees the broker go away.</summary>
    public Task StopBrokerAsync() => Rabbitmqctl("stop_app");

    public Task StartBrokerAsync() => Rabbitmqctl("start_app");

    private async Task Rabbitmqctl(string command)
    {
        if (_rabbitContainer is not null)
        {
            var result = await _rabbitContainer.ExecAsync(["rabbitmqctl", command]);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"rabbitmqctl {command} failed: {result.Stderr}");
            }

            return;
        }

        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", ["-n", "rabbit@localhost", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {command} failed: {await error}");
        }
    }

    private HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = Management };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(RabbitMq.UserInfo)));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return http;
    }

    private static async Task<TestServers> StartAsync()
    {
        var servers = await ContainersAsync() ?? Local();
        Console.WriteLine($"[test servers] {servers.Kind}: PostgreSQL and RabbitMQ at {servers.RabbitMq.Host}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.DropTestResources();
        return servers;
    }

    private static TestServers Local()
    {
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__postgres")
            ?? "Host=127.0.0.1;Port=5432;Username=teamplatform;Password=teamplatform";
        var rabbitMq = new Uri(Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? "amqp://guest:guest@127.0.0.1:5672/");
        return new TestServers("local", postgres, rabbitMq, new Uri($"http://{rabbitMq.Host}:15672/"), null);
    }

    private static async Task<TestServers?> ContainersAsync()
    {
        if (Environment.GetEnvironmentVariable("TP_SERVERS") == "local")
        {
            return null;
        }

        try
        {
            var postgres = new PostgreSqlBuilder("postgres:15").WithCommand("-c", "max_connections=400").Build();
            var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(15672, true).Build();
            await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
            var server = new NpgsqlConnectionStringBuilder(postgres.GetConnectionString()) { Database = null }.ConnectionString;
            var amqp = new Uri(rabbit.GetConnectionString());
            var management = new Uri($"http://{rabbit.Hostname}:{rabbit.GetMappedPublicPort(15672)}/");
            return new TestServers("containers", server, amqp, management, rabbit);
        }
        catch (Exception exception) when (exception.GetType().Name.Contains("DockerUnavailable", StringComparison.Ordinal)
                                          || exception is ArgumentException or InvalidOperationException or TimeoutException)
        {
            Console.WriteLine($"[test servers] no container engine ({exception.GetType().Name}); using the local servers");
            return null;
        }
    }

    // Best effort: test.sh also drops every tp_test_ database and virtual host before and after a run.
    private void DropTestResources()
    {
        try
        {
            using var connection = new NpgsqlConnection($"{Postgres};Database=postgres;Pooling=false");
            connection.Open();
            using var list = new NpgsqlCommand("select datname from pg_database where datname like 'tp_test_' || @run || '%'", connection);
            list.Parameters.AddWithValue("run", RunId);
            var names = new List<string>();
            using (var reader = list.ExecuteReader())
            {
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }
            }

            foreach (var name in names)
            {
                using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
                drop.ExecuteNonQuery();
            }

            using var http = ManagementClient();
            foreach (var vhost in _virtualHosts)
            {
                http.DeleteAsync($"api/vhosts/{vhost}").GetAwaiter().GetResult();
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or HttpRequestException)
        {
            Console.WriteLine($"[test servers] cleanup skipped: {exception.Message}");
        }
    }
}

/// <summary>A queue as the management API describes it (<c>type</c>: classic or quorum).</summary>
public sealed record BrokerQueue(
    [property: System.Text.Json.Serialization.JsonPropertyName("name")] string Name,
    [property: System.Text.Json.Serialization.JsonPropertyName("type")] string? Type,
    [property: System.Text.Json.Serialization.JsonPropertyName("messages")] long? Messages,
    [property: System.Text.Json.Serialization.JsonPropertyName("consumers")] long? Consumers);
