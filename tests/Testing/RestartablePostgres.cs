using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;

namespace TeamPlatform.Testing;

/// <summary>
/// A PostgreSQL server of a test's own, which the test may stop, start and restart without harming anything else on the
/// machine; removed when disposed. With the local servers (<see cref="TestServers.Kind"/> <c>local</c>) it is a
/// throw-away cluster made by <c>initdb</c> in a temporary folder, run as the <c>postgres</c> user on a free loopback
/// port; with containers it is a second PostgreSQL container whose host port is fixed, so that it keeps its address
/// across a stop and a start. Either way it has the role the AppHost uses, so <see cref="ConnectionString"/> goes where
/// <see cref="TestServers.Postgres"/> would.
/// </summary>
public abstract class RestartablePostgres : IAsyncDisposable
{
    private const string Role = "teamplatform";

    /// <summary>A server-level connection string (no database).</summary>
    public string ConnectionString { get; }

    private protected RestartablePostgres(int port)
    {
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username={Role};Password={Role}";
    }

    public int Port { get; }

    public static async Task<RestartablePostgres> StartAsync(TestServers servers)
    {
        RestartablePostgres postgres = servers.Kind == "containers" ? new ContainerPostgres(FreePort()) : new LocalCluster(FreePort());
        await postgres.CreateAsync();
        return postgres;
    }

    /// <summary>A fast shutdown: open connections are ended (<c>57P01</c>), new ones refused until <see cref="StartAsync()"/>.</summary>
    public abstract Task StopAsync();

    /// <summary>Starts the stopped server and waits until it accepts connections.</summary>
    public abstract Task StartAsync();

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public abstract ValueTask DisposeAsync();

    private protected abstract Task CreateAsync();

    private protected async Task WaitUntilAcceptingAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection($"{ConnectionString};Database=postgres;Pooling=false;Timeout=2");
                await connection.OpenAsync();
                return;
            }
            catch (PostgresException)
            {
                return; // the server answered (before its role exists, say): it accepts connections
            }
            catch (Exception exception) when (exception is NpgsqlException or SocketException && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A cluster of its own beside the machine's PostgreSQL, from the same Debian binaries.</summary>
    private sealed class LocalCluster(int port) : RestartablePostgres(port)
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("tp-postgres-").FullName;
        private readonly string _binaries = Directory.GetDirectories("/usr/lib/postgresql")
            .OrderByDescending(folder => int.TryParse(Path.GetFileName(folder), out var version) ? version : 0)
            .Select(folder => Path.Combine(folder, "bin"))
            .FirstOrDefault() ?? throw new InvalidOperationException("No PostgreSQL binaries under /usr/lib/postgresql.");

        private string Data => Path.Combine(_folder, "data");

        private protected override async Task CreateAsync()
        {
            await RunAsync("chown", "postgres", _folder);
            await AsPostgresAsync("initdb", "-D", Data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8");
            // Loopback only, its own socket folder (the machine's cluster owns /var/run/postgresql), and durability traded
            // for speed: the data is thrown away with the folder.
            await File.AppendAllTextAsync(Path.Combine(Data, "postgresql.conf"), $"""

                port = {Port}
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{_folder}'
                max_connections = 300
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                """);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove();
            await StartAsync();
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false");
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create role {Role} login createdb password '{Role}'", connection);
            await create.ExecuteNonQueryAsync();
        }

        public override Task StopAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

        public override async Task StartAsync()
        {
            await AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "start");
            await WaitUntilAcceptingAsync();
        }

        public override ValueTask DisposeAsync()
        {
            Remove();
            return ValueTask.CompletedTask;
        }

        private void Remove()
        {
            if (!Directory.Exists(_folder))
            {
                return;
            }

            if (File.Exists(Path.Combine(Data, "postmaster.pid")))
            {
                using var stop = Process.Start("runuser", ["-u", "postgres", "--", Path.Combine(_binaries, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop"]);
                stop.WaitForExit(TimeSpan.FromSeconds(30));
            }

            Directory.Delete(_folder, recursive: true);
        }

        private Task AsPostgresAsync(string program, params string[] arguments) =>
            RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_binaries, program), .. arguments]);

        private static async Task RunAsync(string program, params string[] arguments)
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
            }
        }
    }

    /// <summary>A second PostgreSQL container on a fixed host port, so that a stopped and started server keeps its address.</summary>
    private sealed class ContainerPostgres(int port) : RestartablePostgres(port)
    {
        private readonly PostgreSqlContainer _container = new PostgreSqlBuilder("postgres:15")
            .WithUsername(Role)
            .WithPassword(Role)
            .WithPortBinding(port, 5432)
            .WithCommand("-c", "max_connections=300", "-c", "fsync=off")
            .Build();

        private protected override Task CreateAsync() => StartAsync();

        public override Task StopAsync() => _container.StopAsync();

        public override async Task StartAsync()
        {
            await _container.StartAsync();
            await WaitUntilAcceptingAsync();
        }

        public override ValueTask DisposeAsync() => _container.DisposeAsync();
    }
}
