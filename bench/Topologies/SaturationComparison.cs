using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using TeamPlatform.LoadDriver;

namespace TeamPlatform.Topologies;

/// <summary>
/// Throughput at saturation (closed-loop workers) through each system's front, in bursts that alternate between the
/// systems (ABBA…: which goes first alternates every round, so that a drift of the machine's load falls on both alike),
/// for the check and for a trivial authenticated route through the same front. Each burst also reads the CPU time every
/// process of both systems, the driver and the machine spent in it.
/// </summary>
public static class SaturationComparison
{
    private sealed record Route(string Name, Func<HttpClient, Team, Func<int, Task<bool>>> Request);

    private sealed class Side(RunningSystem system, HttpClient front, Team team, IReadOnlyDictionary<string, int> processIds)
    {
        public RunningSystem System { get; } = system;
        public HttpClient Front { get; } = front;
        public Team Team { get; } = team;
        public IReadOnlyDictionary<string, int> ProcessIds { get; } = processIds;
    }

    /// <summary>What one route cost on one system over all its bursts.</summary>
    private sealed class Tally
    {
        public List<double> Latencies { get; } = [];
        public List<double> Throughputs { get; } = [];
        public int Failures { get; set; }
        public double Seconds { get; set; }
        public Dictionary<string, double> CpuByRole { get; } = [];
        public double OtherSystemCpu { get; set; }
        public double DriverCpu { get; set; }
        public double MachineBusy { get; set; }
        public double MachineTotal { get; set; }
    }

    private static readonly Route[] Routes =
    [
        new("POST /api/permissions/check", (client, team) =>
        {
            var body = new { permission = "message_inbox", action = "view", groupIds = new[] { team.GrantedGroup } };
            return async _ =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check") { Content = JsonBody.Of(body) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", team.Staff.AccessToken);
                using var response = await client.SendAsync(request);
                return response.StatusCode == HttpStatusCode.OK;
            };
        }),
        new("GET /api/roles (trivial)", (client, team) => async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/roles");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", team.Staff.AccessToken);
            using var response = await client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        }),
    ];

    public static async Task RunAsync(IReadOnlyList<RunningSystem> systems, Func<Uri, HttpClient> client, int rounds, TimeSpan burst, int workers)
    {
        var sides = new List<Side>();
        foreach (var system in systems)
        {
            var front = client(system.Address(system.Front));
            sides.Add(new Side(system, front, await Team.CreateAsync(front), system.ProcessIds()));
        }

        // JIT tiers, connection pools, the organisations' snapshots: two bursts of each route on each side, not counted.
        for (var warmUp = 0; warmUp < 2; warmUp++)
        {
            foreach (var route in Routes)
            {
                foreach (var side in sides)
                {
                    await OpenLoop.SaturateAsync("warm-up", workers, TimeSpan.FromSeconds(3), route.Request(side.Front, side.Team));
                }
            }
        }

        var tallies = Routes.ToDictionary(route => route, _ => sides.ToDictionary(side => side, _ => new Tally()));
        Console.WriteLine($"load average before: {LoadAverage()}");
        for (var round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? sides : [.. Enumerable.Reverse(sides)];
            foreach (var route in Routes)
            {
                foreach (var side in order)
                {
                    var tally = tallies[route][side];
                    var report = await MeasuredBurstAsync(side, sides, route, tally, workers, burst);
                    Console.WriteLine($"round {round + 1} {side.System.Name,-6} {report}");
                }
            }
        }

        Console.WriteLine($"load average after: {LoadAverage()}");
        Report(sides, tallies, rounds);
    }

    private static async Task<LatencyReport> MeasuredBurstAsync(Side side, IReadOnlyList<Side> sides, Route route, Tally tally, int workers, TimeSpan burst)
    {
        var everyProcess = sides.SelectMany(s => s.ProcessIds.Select(p => (Side: s, Resource: p.Key, Pid: p.Value))).ToList();
        var before = everyProcess.Select(p => ProcessCpu.Of(p.Pid)).ToArray();
        var machineBefore = ProcessCpu.Machine();
        var driverBefore = ProcessCpu.OfThisProcess();

        var report = await OpenLoop.SaturateAsync(route.Name, workers, burst, route.Request(side.Front, side.Team), tally.Latencies);

        var driverAfter = ProcessCpu.OfThisProcess();
        var machineAfter = ProcessCpu.Machine();
        for (var i = 0; i < everyProcess.Count; i++)
        {
            var (owner, resource, pid) = everyProcess[i];
            var spent = ProcessCpu.Of(pid) - before[i];
            if (owner == side)
            {
                var role = RoleOf(resource);
                tally.CpuByRole[role] = tally.CpuByRole.GetValueOrDefault(role) + spent;
            }
            else
            {
                tally.OtherSystemCpu += spent;
            }
        }

        tally.DriverCpu += driverAfter - driverBefore;
        tally.MachineBusy += machineAfter.Busy - machineBefore.Busy;
        tally.MachineTotal += machineAfter.Total - machineBefore.Total;
        tally.Seconds += report.Seconds;
        tally.Failures += report.Failures;
        tally.Throughputs.Add(report.Throughput);
        return report;
    }

    private static string RoleOf(string resource) => resource switch
    {
        "edge" => "edge",
        _ when resource.StartsWith("gateway", StringComparison.Ordinal) => "gateways",
        _ when resource.StartsWith("permission", StringComparison.Ordinal) => "permission",
        _ => "others",
    };

    private static void Report(IReadOnlyList<Side> sides, Dictionary<Route, Dictionary<Side, Tally>> tallies, int rounds)
    {
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| route | system | requests | throughput | p50 | p99 | failures | rounds' throughput min–max |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (route, bySide) in tallies)
        {
            foreach (var side in sides)
            {
                var tally = bySide[side];
                var all = LatencyReport.Of(route.Name, [.. tally.Latencies], tally.Failures, TimeSpan.FromSeconds(tally.Seconds), null);
                Console.WriteLine(string.Create(culture,
                    $"| {route.Name} | {side.System.Name} | {all.Requests:N0} | {all.Throughput:N0}/s | {all.P50:F2} ms | {all.P99:F2} ms | {all.Failures} | {tally.Throughputs.Min():N0}–{tally.Throughputs.Max():N0}/s |"));
            }
        }

        Console.WriteLine();
        foreach (var (route, bySide) in tallies)
        {
            var (first, second) = (bySide[sides[0]], bySide[sides[^1]]);
            var ratio = Throughput(second) / Throughput(first);
            var perRound = Enumerable.Range(0, rounds).Select(r => second.Throughputs[r] / first.Throughputs[r]).Order().ToArray();
            Console.WriteLine(string.Create(culture,
                $"{route.Name}: throughput {sides[^1].System.Name} ÷ {sides[0].System.Name} = {ratio:F3} (rounds: min {perRound[0]:F2}, median {perRound[rounds / 2]:F2}, max {perRound[^1]:F2})"));
        }

        Console.WriteLine();
        Console.WriteLine("CPU per request, ms (each process's user + system time in its own system's bursts ÷ the requests of those bursts):");
        Console.WriteLine("| route | system | edge | gateways | permission | others | whole system | the other system, idle | driver | machine busy |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (route, bySide) in tallies)
        {
            foreach (var side in sides)
            {
                var tally = bySide[side];
                double requests = tally.Latencies.Count;
                string Per(double ms) => (ms / requests).ToString("F3", culture);
                string Role(string role) => tally.CpuByRole.TryGetValue(role, out var ms) ? Per(ms) : "–";
                Console.WriteLine(string.Create(culture,
                    $"| {route.Name} | {side.System.Name} | {Role("edge")} | {Role("gateways")} | {Role("permission")} | {Role("others")} | {Per(tally.CpuByRole.Values.Sum())} | {Per(tally.OtherSystemCpu)} | {Per(tally.DriverCpu)} | {100 * tally.MachineBusy / tally.MachineTotal:F0} % |"));
            }
        }

        static double Throughput(Tally tally) => tally.Latencies.Count / tally.Seconds;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
}
