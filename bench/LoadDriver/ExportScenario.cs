using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// The CSV exports of a large organisation (docs/permissions.md#exports): the access review of 100,000 seeded members
/// and 1,000 groups, then the audit with a sign-in of each active member on its chain, each through the gateway, read
/// to the end as it streams. Times the first byte and the whole answer, counts rows and bytes, and samples the resident
/// memory of each permission process on this machine every 50 ms: an export that held every row would grow it with the
/// organisation. Each export runs three times.
/// </summary>
public static class ExportScenario
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>Each export runs this many times: the first also warms the service's paths.</summary>
    private const int Runs = 3;

    public static async Task RunAsync(DriverOptions options)
    {
        var repository = Path.GetFullPath(".");
        var permission = ServiceProcesses.Find("TeamPlatform.Permissions", repository);
        using var gateway = options.Client();
        var org = await SeededOrganisations.CreateAsync(new Testing.TeamPlatformClient(gateway), options, options.Members, options.Groups, signIns: true);
        // An export is one long answer, not a request among many: no 30-second cut.
        using var exports = new HttpClient(new SocketsHttpHandler()) { BaseAddress = options.Gateway, Timeout = TimeSpan.FromMinutes(30) };

        Console.WriteLine($"settling for {options.Settle.TotalSeconds:F0} s");
        await Task.Delay(options.Settle);
        foreach (var path in new[] { "/api/access-review?format=csv", "/api/audit?format=csv" })
        {
            for (var run = 1; run <= Runs; run++)
            {
                Console.WriteLine(await ExportAsync(exports, org, path, permission) + $" (run {run} of {Runs})");
            }
        }

        for (var run = 1; run <= Runs; run++)
        {
            Console.WriteLine(await VerifyAsync(exports, org) + $" (run {run} of {Runs})");
        }
    }

    /// <summary>The audit chain recomputed from its first entry (<c>GET /api/audit/verify</c>), timed.</summary>
    private static async Task<string> VerifyAsync(HttpClient client, SeededOrg org)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/audit/verify");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", org.AdminToken);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadAsStringAsync();
        return string.Create(CultureInfo.InvariantCulture, $"/api/audit/verify in {org.Members:N0} members: {clock.Elapsed.TotalSeconds:F2} s, {answer}");
    }

    private static async Task<string> ExportAsync(HttpClient client, SeededOrg org, string path, ServiceProcesses permission)
    {
        var before = permission.ResidentMegabytes();
        var peak = before.ToArray();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var now = permission.ResidentMegabytes();
                for (var i = 0; i < peak.Length; i++)
                {
                    peak[i] = Math.Max(peak[i], now[i]);
                }

                await Task.Delay(SampleEvery, CancellationToken.None);
            }
        });

        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", org.AdminToken);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var firstByte = clock.Elapsed;
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long bytes = 0, lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        var total = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        var memory = string.Join(", ", before.Select((mb, i) => string.Create(CultureInfo.InvariantCulture,
            $"{permission.Names[i]} {mb:F0} → peak {peak[i]:F0} MB (+{peak[i] - mb:F0})")));
        return string.Create(CultureInfo.InvariantCulture,
            $"{path} in {org.Members:N0} members: {lines - 1:N0} rows (header apart, quoted line breaks counted), {bytes / 1024.0 / 1024:F1} MiB, "
            + $"first byte {firstByte.TotalMilliseconds:F0} ms, whole {total.TotalSeconds:F2} s; resident memory {memory}");
    }
}

/// <summary>Every running process of one service on this machine (each replica), read from <c>/proc</c>: resident memory.</summary>
public sealed class ServiceProcesses(IReadOnlyList<int> pids, IReadOnlyList<string> names)
{
    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>The processes of <paramref name="assembly"/> started from <paramref name="repository"/> (a test system elsewhere on the machine is not ours).</summary>
    public static ServiceProcesses Find(string assembly, string repository)
    {
        var found = Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Directory: d))
            .Where(p => p.Pid > 0 && Runs(p.Directory, assembly, repository))
            .Select(p => p.Pid)
            .Order()
            .ToList();
        return found.Count > 0
            ? new ServiceProcesses(found, found.Select(pid => $"{assembly} (pid {pid})").ToList())
            : throw new InvalidOperationException($"no {assembly} process started from {repository} runs on this machine: start ./run.sh first");
    }

    public double[] ResidentMegabytes() => pids.Select(pid =>
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }).ToArray();

    private static bool Runs(string directory, string assembly, string repository)
    {
        try
        {
            var executable = new FileInfo(Path.Combine(directory, "exe")).LinkTarget ?? "";
            var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
            var program = Path.GetFileName(executable) == assembly
                ? executable
                : arguments.FirstOrDefault(a => a.EndsWith($"/{assembly}.dll", StringComparison.Ordinal)) ?? "";
            return program.StartsWith(repository, StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
