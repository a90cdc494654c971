using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using TeamPlatform.Testing;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// A mixed load at a moderate open-loop rate for a long time (30 minutes by default), sampling once a minute what would
/// show a leak: each process's resident memory, threads and open sockets, the connections each database holds, and the
/// messages waiting in the broker's queues; then the same after the load stops, once the system has had time to drain.
/// The organisation stays the same size throughout (every member who joins is removed again), so that growth in memory
/// is growth the processes keep, not data the system was asked to hold.
/// </summary>
public static class SoakScenario
{
    private static readonly string[] SystemProcesses =
        ["TeamPlatform.Gateway", "TeamPlatform.Identity", "TeamPlatform.Permissions", "TeamPlatform.Invitations", "TeamPlatform.Notifications", "TeamPlatform.Console"];

    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        var team = await Team.CreateAsync(gateway);
        var api = team.Api;
        var invitations = new ConcurrentQueue<(Guid Id, string Phone, string Token)>();
        var outcomes = new ConcurrentDictionary<string, int>();
        var check = new { permission = "message_inbox", action = "view", groupIds = new[] { team.GrantedGroup } };
        var repository = Path.GetFullPath(".");
        Console.WriteLine($"soak: {options.Rate}/s mixed for {options.Duration.TotalMinutes:F0} min, then {options.Settle.TotalSeconds:F0} s without load; processes under {repository}");

        async Task<bool> Counted(string operation, Func<Task<HttpStatusCode>> send)
        {
            var status = await send();
            outcomes.AddOrUpdate($"{operation} {(int)status}", 1, (_, n) => n + 1);
            return (int)status < 400;
        }

        async Task<HttpStatusCode> Send(Member caller, HttpMethod method, string path, object? body = null)
        {
            using var response = await api.SendAs(caller, method, path, body);
            return response.StatusCode;
        }

        // One request in twenty of each kind but the check, half of which are checks.
        Func<int, Task<bool>> request = index => (index % 20) switch
        {
            < 10 => Counted("check", () => Send(team.Staff, HttpMethod.Post, "/api/permissions/check", check)),
            < 13 => Counted("list", () => Send(team.Org.Creator, HttpMethod.Get, "/api/members?pageSize=50")),
            < 16 => Counted("access", () => Send(team.Org.Creator, HttpMethod.Put, $"/api/members/{team.Staff.MemberId}/access",
                new { role = "staff", groupIds = new[] { index % 2 == 0 ? team.GrantedGroup : team.OtherGroup, team.GrantedGroup }.Distinct() })),
            16 => Counted("invite", () => InviteAsync(api, team, invitations)),
            17 => Counted("accept", () => AcceptAsync(api, team, invitations)),
            18 => Counted("register", () => RegisterAndRemoveAsync(api, team)),
            _ => Counted("login", async () =>
            {
                using var response = await api.RequestTokenAsync(team.Org.Slug, team.Staff.Phone);
                return response.StatusCode;
            }),
        };

        var samples = new List<Sample>();
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            var started = DateTimeOffset.UtcNow;
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
            do
            {
                var sample = await Sample.TakeAsync(DateTimeOffset.UtcNow - started, repository, options);
                lock (samples)
                {
                    samples.Add(sample);
                }

                Console.WriteLine(sample);
                // Tokens live ten minutes: the admin and the staff member sign in again well before theirs end.
                if (samples.Count % 5 == 0)
                {
                    await api.SignInAsync(team.Org.Creator, team.Org.Slug);
                    await api.SignInAsync(team.Staff, team.Org.Slug);
                }
            }
            while (await Ticks(timer, stop.Token));
        });

        var load = await OpenLoop.RunAsync("mixed load", options.Rate, options.Duration, request);
        Console.WriteLine(load);
        Console.WriteLine("answers: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
        Console.WriteLine($"load stopped; draining for {options.Settle.TotalSeconds:F0} s");
        await Task.Delay(options.Settle);
        await stop.CancelAsync();
        await sampling;
        var drained = await Sample.TakeAsync(TimeSpan.Zero, repository, options);
        Console.WriteLine("after the load: " + drained);
        Summarise(samples, drained);
    }

    private static async Task<bool> Ticks(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<HttpStatusCode> InviteAsync(TeamPlatformClient api, Team team, ConcurrentQueue<(Guid, string, string)> invitations)
    {
        var phone = TestPhones.New();
        using var response = await api.SendAs(team.Org.Creator, HttpMethod.Post, "/api/invitations",
            new { phone, access = new { role = "staff", groupIds = new[] { team.GrantedGroup } } });
        if (response.StatusCode == HttpStatusCode.Created)
        {
            var invitation = await response.Content.ReadFromJsonAsync<JsonElement>();
            var link = invitation.GetProperty("link").GetString()!;
            invitations.Enqueue((Guid.Parse(invitation.GetProperty("id").GetString()!), phone, link[(link.LastIndexOf('/') + 1)..]));
        }

        return response.StatusCode;
    }

    /// <summary>The oldest open invitation is accepted by registering through its link; the new member is then removed.</summary>
    private static async Task<HttpStatusCode> AcceptAsync(TeamPlatformClient api, Team team, ConcurrentQueue<(Guid Id, string Phone, string Token)> invitations)
    {
        if (!invitations.TryDequeue(out var invitation))
        {
            return HttpStatusCode.NoContent;
        }

        var member = await api.RegisterAsync(team.Org.Slug, phone: invitation.Phone, invitationToken: invitation.Token);
        return await RemoveAsync(api, team, member.MemberId);
    }

    private static async Task<HttpStatusCode> RegisterAndRemoveAsync(TeamPlatformClient api, Team team)
    {
        var member = await api.RegisterAsync(team.Org.Slug);
        return await RemoveAsync(api, team, member.MemberId);
    }

    private static async Task<HttpStatusCode> RemoveAsync(TeamPlatformClient api, Team team, Guid memberId)
    {
        using var response = await api.SendAs(team.Org.Creator, HttpMethod.Delete, $"/api/members/{memberId}");
        return response.StatusCode;
    }

    private static void Summarise(List<Sample> samples, Sample drained)
    {
        // Five minutes in, the processes have JIT-compiled, filled their pools and caches: the baseline.
        var warm = samples.Count > 5 ? samples[5] : samples[0];
        var last = samples[^1];
        Console.WriteLine($"{"process",-26} {"RSS warm",10} {"RSS end",10} {"end/warm",9} {"RSS max",10} {"threads warm→end",17} {"sockets warm→end",17}");
        foreach (var (name, end) in last.Processes)
        {
            if (!warm.Processes.TryGetValue(name, out var start))
            {
                continue;
            }

            var max = samples.Where(s => s.Processes.ContainsKey(name)).Max(s => s.Processes[name].RssMb);
            Console.WriteLine($"{name,-26} {start.RssMb,8:F0}MB {end.RssMb,8:F0}MB {end.RssMb / start.RssMb,9:F2} {max,8:F0}MB {start.Threads,8}→{end.Threads,-8} {start.Sockets,8}→{end.Sockets,-8}");
        }

        Console.WriteLine($"database connections warm→end→drained: {warm.Connections}→{last.Connections}→{drained.Connections}");
        Console.WriteLine($"messages waiting in queues warm→end→drained: {warm.QueuedMessages}→{last.QueuedMessages}→{drained.QueuedMessages}");
    }

    private sealed record ProcessSample(double RssMb, int Threads, int Sockets);

    private sealed record Sample(TimeSpan At, IReadOnlyDictionary<string, ProcessSample> Processes, int Connections, long QueuedMessages)
    {
        public static async Task<Sample> TakeAsync(TimeSpan at, string repository, DriverOptions options) =>
            new(at, ReadProcesses(repository), await ConnectionsAsync(options), await QueuedMessagesAsync());

        public override string ToString()
        {
            var processes = string.Join(" ", Processes.OrderBy(p => p.Key).Select(p =>
                $"{p.Key["TeamPlatform.".Length..]}={p.Value.RssMb:F0}MB/{p.Value.Threads}t/{p.Value.Sockets}s"));
            return $"[{At.TotalMinutes,5:F1} min] {processes} db-connections={Connections} queued={QueuedMessages}";
        }

        /// <summary>The system's processes started from this repository (a test system elsewhere on the machine is not ours).</summary>
        private static Dictionary<string, ProcessSample> ReadProcesses(string repository)
        {
            var found = new Dictionary<string, ProcessSample>();
            foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
            {
                try
                {
                    var executable = new FileInfo(Path.Combine(directory, "exe")).LinkTarget ?? "";
                    var name = SystemProcesses.FirstOrDefault(p => Path.GetFileName(executable) == p);
                    if (name is null || !executable.StartsWith(repository, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var status = File.ReadAllLines(Path.Combine(directory, "status"));
                    double Field(string key) => double.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    var sockets = Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd"))
                        .Count(fd => new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
                    var key = found.ContainsKey(name) ? $"{name}#{found.Keys.Count(k => k.StartsWith(name, StringComparison.Ordinal)) + 1}" : name;
                    found[key] = new ProcessSample(Field("VmRSS:") / 1024, (int)Field("Threads:"), sockets);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    // The process ended while it was read.
                }
            }

            return found;
        }

        private static async Task<int> ConnectionsAsync(DriverOptions options)
        {
            await using var connection = new NpgsqlConnection(options.PermissionDatabase);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where datname like 'teamplatform\\_%' and pid <> pg_backend_pid()", connection);
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        /// <summary>Messages waiting in the development system's virtual host ("/"), from the broker's management API.</summary>
        private static async Task<long> QueuedMessagesAsync()
        {
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:15672/") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:guest")));
            var queues = await http.GetFromJsonAsync<JsonElement>("api/queues/%2F?columns=name,messages");
            return queues.EnumerateArray().Sum(q => q.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt64() : 0);
        }
    }
}
