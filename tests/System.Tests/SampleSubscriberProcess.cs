using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using TeamPlatform.Testing;

namespace TeamPlatform.System.Tests;

/// <summary>
/// The sample subscriber (<c>samples/MembershipSubscriber</c>) as an outside developer builds and runs it: the samples
/// folder copied out of the repository (so nothing of the product's build reaches it), the contracts packed into its
/// feed, the sample built against that package and started as a process of its own on a broker and a database it is
/// told of in its environment.
/// </summary>
public sealed class SampleSubscriberProcess : IAsyncDisposable
{
    /// <summary>The sample's own queue (its default <c>RabbitMq:Queue</c>).</summary>
    public const string Queue = "membership-subscriber";

    private readonly Process _process;
    private readonly string _folder;
    private readonly ConcurrentQueue<string> _output;

    private SampleSubscriberProcess(Process process, string folder, ConcurrentQueue<string> output, HttpClient http, string database, TimeSpan buildTime)
    {
        _process = process;
        _folder = folder;
        _output = output;
        Http = http;
        Database = database;
        BuildTime = buildTime;
    }

    /// <summary>The sample's HTTP endpoint (<c>GET /members?orgId=</c>).</summary>
    public HttpClient Http { get; }

    /// <summary>The connection string of the sample's own database.</summary>
    public string Database { get; }

    /// <summary>How long packing the contracts and building the sample took.</summary>
    public TimeSpan BuildTime { get; }

    /// <summary>Every line the sample has written so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public static async Task<SampleSubscriberProcess> StartAsync(TestServers servers, string brokerAddress)
    {
        var folder = Directory.CreateTempSubdirectory("tp-sample-subscriber-").FullName;
        try
        {
            var build = Stopwatch.StartNew();
            CopySamples(Path.Combine(RepositoryRoot, "samples"), folder);
            await RunAsync("pack", Path.Combine(RepositoryRoot, "services", "Contracts"), "-c", "Release", "-o", Path.Combine(folder, "packages"));
            // NuGet takes a version it has cached over the feed's: without this, the sample would be built against
            // the contracts of whichever commit restored this version first on this machine.
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                           ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            DeleteIfPresent(Path.Combine(packages, "teamplatform.contracts", ContractsVersion()));
            await RunAsync("build", Path.Combine(folder, "MembershipSubscriber"), "-c", "Release");
            build.Stop();

            var database = servers.NewDatabase("subscriber");
            await CreateDatabaseAsync(database);
            var broker = new Uri(brokerAddress);
            var credentials = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
            var virtualHost = Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/')) is { Length: > 0 } name ? name : "/";
            var url = $"http://127.0.0.1:{FreePort()}";
            var output = Path.Combine(folder, "MembershipSubscriber", "bin", "Release", "net10.0");
            var start = new ProcessStartInfo(DotnetPath, [Path.Combine(output, "MembershipSubscriber.dll")])
            {
                WorkingDirectory = output,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ConnectionStrings__Members"] = database,
                    ["RabbitMq__Host"] = broker.Host,
                    ["RabbitMq__Port"] = broker.Port.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
                    ["RabbitMq__VirtualHost"] = virtualHost,
                    ["RabbitMq__Username"] = credentials[0],
                    ["RabbitMq__Password"] = credentials.ElementAtOrDefault(1) ?? "",
                    ["Urls"] = url,
                    ["Logging__Console__FormatterName"] = "simple",
                    ["Logging__Console__FormatterOptions__SingleLine"] = "true",
                },
            };
            var lines = new ConcurrentQueue<string>();
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, line) => Keep(lines, line.Data);
            process.ErrorDataReceived += (_, line) => Keep(lines, line.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var sample = new SampleSubscriberProcess(process, folder, lines, new HttpClient { BaseAddress = new Uri(url) }, database, build.Elapsed);
            try
            {
                await sample.WaitUntilListeningAsync(servers, brokerAddress);
            }
            catch
            {
                await sample.DisposeAsync();
                throw;
            }

            return sample;
        }
        catch
        {
            DeleteIfPresent(folder);
            throw;
        }
    }

    /// <summary>The number of messages the sample has processed (its <c>processed_messages</c> rows).</summary>
    public async Task<long> ProcessedMessagesAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from processed_messages", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Answers when the HTTP endpoint answers and the queue has the sample's consumer, so that no event is missed.</summary>
    private async Task WaitUntilListeningAsync(TestServers servers, string brokerAddress)
    {
        await Eventually.Until(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The sample exited with {_process.ExitCode}:\n{string.Join('\n', _output)}");
                }

                try
                {
                    using var answer = await Http.GetAsync($"/members?orgId={Guid.Empty}");
                    var queues = await servers.QueuesAsync(brokerAddress);
                    return answer.StatusCode == HttpStatusCode.OK && queues.Any(q => q.Name == Queue && q.Consumers > 0);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            listening => listening,
            TimeSpan.FromSeconds(60),
            "the sample subscriber to answer and consume its queue");
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    private static async Task RunAsync(string command, string project, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetPath, [command, project, "--nologo", "-v:q", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No build server may outlive the test run.
            Environment = { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0", ["UseSharedCompilation"] = "false" },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {command} {project} took more than 5 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {command} {project} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    private static void CopySamples(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "packages"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private static async Task CreateDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The version the contracts pack as, which the sample's project references.</summary>
    private static string ContractsVersion() =>
        global::System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot, "services", "Contracts", "TeamPlatform.Contracts.csproj"))
            .Descendants("Version").Single().Value;

    private static void DeleteIfPresent(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The <c>dotnet</c> that runs the tests (the SDK names it for the processes it starts), else the one on the path.</summary>
    private static string DotnetPath => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "TeamPlatform.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No TeamPlatform.sln above {AppContext.BaseDirectory}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        DeleteIfPresent(_folder);
    }
}
