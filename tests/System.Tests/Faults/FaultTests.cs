using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TeamPlatform.Internal;
using TeamPlatform.Testing;
using Aspire.Hosting.Testing;
using Xunit;
using Xunit.Abstractions;

namespace TeamPlatform.System.Tests.Faults;

/// <summary>
/// docs/reliability.md: each fault done to the running system under a steady mixed load, then the system audited
/// against everything it answered. 503 <c>service_unavailable</c> during a fault is the answer the API promises; a 500,
/// another 5xx or no answer at all is a failure.
/// </summary>
[Trait("Category", "Faults")]
[Collection(nameof(FaultCollection))]
public sealed class FaultTests(FaultSystemFixture system, ITestOutputHelper output)
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(90);

    // Within a second by the gateway's own account (its Server-Timing): what the client waited beyond that was the
    // machine's and the test process's own (docs/reliability.md).
    private static readonly TimeSpan DownAnswerBound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_service_killed_mid_load_is_answered_503_within_a_second_while_the_others_work_and_catches_up_when_started_again()
    {
        var load = await LoadDriver.PrepareAsync(system.RawGateway, organisations: 3);
        var organisation = load.Organisations[0];
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(loops: 4, pause: TimeSpan.FromMilliseconds(100), stop.Token);
        await Task.Delay(Warmup);

        // The killed service's own route, and a route of a service that does not need it.
        var probes = new Dictionary<string, (Probe Own, Probe Other)>
        {
            [ServiceNames.Identity] = (Me, Check),
            [ServiceNames.Permission] = (Check, Inbox),
            [ServiceNames.Invitation] = (Invitations, Check),
            [ServiceNames.Notification] = (Inbox, Check),
        };
        var restarts = new List<string>();
        foreach (var (service, (own, other)) in probes)
        {
            // Both permission replicas: with one left, the gateway would still have somewhere to send the route.
            string[] processes = service == ServiceNames.Permission ? [service, $"{service}-b"] : [service];
            var killed = DateTimeOffset.UtcNow;
            foreach (var process in processes)
            {
                await system.Processes.KillAsync(process);
            }

            var down = DateTimeOffset.UtcNow;
            List<Ledger.Answer> ownAnswers, otherAnswers, whileDown;
            var starting = new Stopwatch();
            try
            {
                (ownAnswers, otherAnswers) = await ProbeAsync(load, organisation, own, other, TimeSpan.FromSeconds(3));
                // Every request for its routes while it was down, the load's as well as the probes': the gateway's 503
                // within the bound, and no client left waiting as long as the gateway waits for a silent service.
                whileDown = load.Ledger.Between(down, DateTimeOffset.UtcNow, service);
                Assert.All(whileDown, answer => Assert.True(
                    answer.Status == 503 && answer.Code == "service_unavailable" && answer.AtGateway < DownAnswerBound && answer.Elapsed < FaultSystemFixture.ServiceTimeout,
                    $"{service} down: {answer}"));
                Assert.All(otherAnswers, answer => Assert.True(answer.Status is >= 200 and < 300, $"{service} down, another route: {answer}"));
                // The services that do not call it keep answering the load: none of their requests waits on it.
                var unaffected = load.Ledger.Between(down, DateTimeOffset.UtcNow)
                    .Where(answer => answer.Service != service && !CallersOf(service).Contains(answer.Service)).ToList();
                Assert.All(unaffected, answer => Assert.True(answer.Status is >= 200 and < 500, $"{service} down, {answer.Service} answered: {answer}"));
                // Each service that calls it shows it on its own /health, and stays ready.
                foreach (var caller in CallersOf(service))
                {
                    var (status, shown) = await CalledServiceHealthAsync(caller, service);
                    Assert.True(status == HttpStatusCode.OK && shown == "Degraded", $"{caller}'s /health while {service} was down: {(int)status}, {service} {shown}");
                }
            }
            finally
            {
                // Started again whatever the probes showed: the collection's other faults need the whole system.
                starting.Start();
                foreach (var process in processes)
                {
                    await system.Processes.StartAsync(process);
                }
            }

            var restarted = DateTimeOffset.UtcNow;
            restarts.Add($"{service}: left Running {(down - killed).TotalMilliseconds:F0} ms after the kill, started again {starting.Elapsed.TotalSeconds:F1} s after the start was asked. " +
                         $"Asked while it went down: {Slowest(load.Ledger.Between(killed, down, service))}. " +
                         $"While down: {Slowest(whileDown)}; its own route {Summary(ownAnswers)}. " +
                         $"While it started: {Slowest(load.Ledger.Between(restarted - starting.Elapsed, restarted, service))}. " +
                         $"The other services meanwhile: {Others(load.Ledger.Between(down, restarted).Where(a => a.Service != service).ToList())}. " +
                         load.Ledger.Summary(load.Ledger.Between(down, restarted, service)));
        }

        await Task.Delay(Warmup);
        await stop.CancelAsync();
        await running;
        var catchUp = await new SystemAudit(system, load).CaughtUpWithinAsync(CatchUpLimit);

        Report(load, $"caught up {catchUp.TotalSeconds:F1} s after the load stopped", restarts);
        AssertNoFailures(load);
        AssertNothingSecretLogged();
    }

    [Fact]
    public async Task The_broker_gone_for_30_s_during_1000_access_changes_loses_nothing_doubles_nothing_and_both_replicas_are_current_within_10_s()
    {
        var load = await LoadDriver.PrepareAsync(system.RawGateway, organisations: 3);
        using var stop = new CancellationTokenSource();
        var changes = load.RunAccessChangesAsync(loops: 4, changes: 1000, pause: TimeSpan.FromMilliseconds(120), stop.Token);
        var mixed = load.RunAsync(loops: 1, pause: TimeSpan.FromMilliseconds(200), stop.Token);
        await Task.Delay(Warmup);

        var cut = DateTimeOffset.UtcNow;
        await system.Servers.CutVirtualHostAsync(system.BrokerAddress);
        // Every client sees the broker gone: no connection gets back in, and the services say so on /health.
        var notes = new List<string>();
        while (DateTimeOffset.UtcNow - cut < TimeSpan.FromSeconds(30))
        {
            Assert.Equal(0, await system.Servers.VirtualHostConnectionsAsync(system.BrokerAddress));
            notes.Add($"{(DateTimeOffset.UtcNow - cut).TotalSeconds:F0} s: identity broker check {await BrokerHealthAsync(ServiceNames.Identity)}");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }

        Assert.Contains(notes, note => note.EndsWith("Degraded", StringComparison.Ordinal));
        var latestAtReturn = new Dictionary<Guid, long>();
        foreach (var organisation in load.Organisations)
        {
            latestAtReturn[organisation.Org.OrgId] = await RevisionAsync(organisation);
        }

        await system.Servers.RestoreVirtualHostAsync(system.BrokerAddress);
        var back = Stopwatch.StartNew();
        var audit = new SystemAudit(system, load);
        await Eventually.Until(async () =>
        {
            foreach (var organisation in load.Organisations)
            {
                foreach (var replica in new[] { ServiceNames.Permission, $"{ServiceNames.Permission}-b" })
                {
                    if ((await audit.ReplicaRevisionAsync(replica, organisation) ?? 0) < latestAtReturn[organisation.Org.OrgId])
                    {
                        return false;
                    }
                }
            }

            return true;
        }, current => current, TimeSpan.FromSeconds(10), "both replicas at the latest revision after the broker's return");
        var replicasCurrent = back.Elapsed;
        await Eventually.Until(() => system.Servers.VirtualHostConnectionsAsync(system.BrokerAddress), connections => connections >= 6,
            TimeSpan.FromSeconds(60), "every process connected to the broker again");
        var reconnected = back.Elapsed;

        await changes;
        await stop.CancelAsync();
        await mixed;
        var catchUp = await audit.CaughtUpWithinAsync(CatchUpLimit);

        var asked = load.Ledger.Access.Values.Sum(writes => writes.Count);
        Report(load, $"broker cut 30 s; replicas current {replicasCurrent.TotalSeconds:F1} s and every process reconnected {reconnected.TotalSeconds:F1} s " +
                     $"after its return; {asked} access changes asked; caught up {catchUp.TotalSeconds:F1} s after the load stopped", notes);
        Assert.True(asked >= 1000, $"{asked} access changes asked");
        AssertNoFailures(load);
        AssertNothingSecretLogged();
    }

    [Fact]
    public async Task PostgreSQL_restarted_under_load_answers_503_during_the_gap_and_every_service_recovers_without_a_restart()
    {
        var load = await LoadDriver.PrepareAsync(system.RawGateway, organisations: 3);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(loops: 4, pause: TimeSpan.FromMilliseconds(100), stop.Token);
        await Task.Delay(Warmup);

        var stopped = DateTimeOffset.UtcNow;
        await system.Postgres.StopAsync();
        var healthDuringGap = new Dictionary<string, HttpStatusCode>();
        var gap = Stopwatch.StartNew();
        while (gap.Elapsed < TimeSpan.FromSeconds(5))
        {
            foreach (var service in ServiceNames.Api)
            {
                healthDuringGap[service] = await HealthAsync(service);
            }

            await Task.Delay(500);
        }

        await system.Postgres.StartAsync();
        var started = DateTimeOffset.UtcNow;
        var recovery = Stopwatch.StartNew();
        foreach (var service in ServiceNames.Api)
        {
            await Eventually.Until(() => HealthAsync(service), status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), $"{service}'s /health back to 200");
        }

        var healthy = recovery.Elapsed;
        await Task.Delay(Warmup);
        await stop.CancelAsync();
        await running;
        var catchUp = await new SystemAudit(system, load).CaughtUpWithinAsync(CatchUpLimit);

        var duringGap = load.Ledger.Between(stopped, started);
        Report(load, $"database stopped {(started - stopped).TotalSeconds:F1} s; during the gap {load.Ledger.Summary(duringGap)}; " +
                     $"every /health 200 again {healthy.TotalSeconds:F1} s after the start; caught up {catchUp.TotalSeconds:F1} s after the load stopped",
            healthDuringGap.Select(h => $"{h.Key} /health during the gap: {(int)h.Value}"));
        Assert.All(healthDuringGap, health => Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Value));
        Assert.Contains(duringGap, answer => answer.Status == 503);
        AssertNoFailures(load);
        AssertNothingSecretLogged();
    }

    [Fact]
    public async Task A_service_frozen_for_5_s_is_answered_in_bounded_time_and_other_routes_keep_their_latency()
    {
        var load = await LoadDriver.PrepareAsync(system.RawGateway, organisations: 2);
        var organisation = load.Organisations[0];
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(loops: 3, pause: TimeSpan.FromMilliseconds(100), stop.Token);
        await Task.Delay(Warmup);

        var (_, before) = await ProbeAsync(load, organisation, Check, Inbox, TimeSpan.FromSeconds(5));
        var frozen = DateTimeOffset.UtcNow;
        // Both replicas: with one left answering, the gateway sends the route there and nothing waits on the frozen one.
        var freeze = Task.WhenAll(
            system.Processes.FreezeAsync(ServiceNames.Permission, TimeSpan.FromSeconds(5)),
            system.Processes.FreezeAsync($"{ServiceNames.Permission}-b", TimeSpan.FromSeconds(5)));
        var (own, during) = await ProbeAsync(load, organisation, Check, Inbox, TimeSpan.FromSeconds(5));
        await freeze;
        var thawed = DateTimeOffset.UtcNow;
        await Task.Delay(Warmup);
        await stop.CancelAsync();
        await running;
        var catchUp = await new SystemAudit(system, load).CaughtUpWithinAsync(CatchUpLimit);

        var bound = FaultSystemFixture.ServiceTimeout + TimeSpan.FromSeconds(1);
        var window = load.Ledger.Between(frozen, thawed);
        var (p99Before, p99During) = (P99(before), P99(during));
        Report(load, $"permission frozen 5 s; checks {Summary(own)}; during the freeze {load.Ledger.Summary(window)}; " +
                     $"inbox p99 {p99Before.TotalMilliseconds:F0} ms before, {p99During.TotalMilliseconds:F0} ms during; caught up {catchUp.TotalSeconds:F1} s", []);
        Assert.All(window, answer => Assert.True(answer.Elapsed < bound, $"answered in {answer.Elapsed.TotalMilliseconds:F0} ms: {answer}"));
        Assert.Contains(own, answer => answer.Status == 503 && answer.Code == "service_unavailable");
        Assert.All(during, answer => Assert.True(answer.Status is >= 200 and < 300, $"another route during the freeze: {answer}"));
        Assert.True(p99During <= (p99Before * 2) + TimeSpan.FromMilliseconds(300),
            $"another route's p99 went from {p99Before.TotalMilliseconds:F0} ms to {p99During.TotalMilliseconds:F0} ms");
        AssertNoFailures(load);
        AssertNothingSecretLogged();
    }

    private delegate Task<(HttpStatusCode, JsonElement)> Probe(LoadDriver load, LoadDriver.Organisation organisation);

    private static Task<(HttpStatusCode, JsonElement)> Me(LoadDriver load, LoadDriver.Organisation organisation) =>
        load.SendAsync("probe-me", ServiceNames.Identity, HttpMethod.Get, "/api/me", organisation.Org.Creator, null);

    private static Task<(HttpStatusCode, JsonElement)> Check(LoadDriver load, LoadDriver.Organisation organisation) =>
        load.SendAsync("probe-check", ServiceNames.Permission, HttpMethod.Post, "/api/permissions/check", organisation.Org.Creator,
            new { permission = "message_inbox", groupIds = new[] { organisation.GroupA } });

    private static Task<(HttpStatusCode, JsonElement)> Invitations(LoadDriver load, LoadDriver.Organisation organisation) =>
        load.SendAsync("probe-invitations", ServiceNames.Invitation, HttpMethod.Get, "/api/invitations", organisation.Org.Creator, null);

    private static Task<(HttpStatusCode, JsonElement)> Inbox(LoadDriver load, LoadDriver.Organisation organisation) =>
        load.SendAsync("probe-inbox", ServiceNames.Notification, HttpMethod.Get, $"/api/dev/notifications?to={Uri.EscapeDataString(organisation.Org.Creator.Phone)}", null, null);

    /// <summary>Asks both routes side by side, every 200 ms, for <paramref name="duration"/>; answers what each was answered.</summary>
    private static async Task<(List<Ledger.Answer> Own, List<Ledger.Answer> Other)> ProbeAsync(
        LoadDriver load, LoadDriver.Organisation organisation, Probe own, Probe other, TimeSpan duration)
    {
        var from = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await Task.WhenAll(own(load, organisation), other(load, organisation), Task.Delay(200));
        }

        var answers = load.Ledger.Between(from, DateTimeOffset.UtcNow).Where(a => a.Route.StartsWith("probe-", StringComparison.Ordinal)).ToList();
        var ownRoute = "probe-" + own.Method.Name.ToLowerInvariant();
        return (answers.Where(a => a.Route == ownRoute).ToList(), answers.Where(a => a.Route != ownRoute).ToList());
    }

    private async Task<HttpStatusCode> HealthAsync(string service)
    {
        using var health = new HttpClient { BaseAddress = system.App.GetEndpoint(service, "http"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            return (await health.GetAsync("/health")).StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static string[] CallersOf(string service) => service switch
    {
        ServiceNames.Permission => [ServiceNames.Identity, ServiceNames.Invitation, ServiceNames.Notification],
        ServiceNames.Invitation => [ServiceNames.Identity],
        _ => [],
    };

    /// <summary>The status of <paramref name="caller"/>'s <c>/health</c>, and what it shows of <paramref name="called"/>.</summary>
    private async Task<(HttpStatusCode Status, string? Shown)> CalledServiceHealthAsync(string caller, string called)
    {
        using var health = new HttpClient { BaseAddress = system.App.GetEndpoint(caller, "http"), Timeout = TimeSpan.FromSeconds(10) };
        using var response = await health.GetAsync("/health");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("checks").TryGetProperty(called, out var check) ? check.GetProperty("status").GetString() : null);
    }

    private async Task<string?> BrokerHealthAsync(string service) => (await CalledServiceHealthAsync(service, "rabbitmq")).Shown;

    private async Task<long> RevisionAsync(LoadDriver.Organisation organisation) =>
        (long)(await system.QueryAsync(ServiceNames.Permission, $"select revision from organisations where id = '{organisation.Org.OrgId}'")).Single()["revision"]!;

    private static TimeSpan P99(List<Ledger.Answer> answers)
    {
        var sorted = answers.Select(a => a.Elapsed).Order().ToList();
        return sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.99) - 1)];
    }

    private static string Summary(List<Ledger.Answer> answers) =>
        $"{answers.Count} probes, {answers.Count(a => a.Status == 503)} × 503, worst {(answers.Count == 0 ? 0 : answers.Max(a => a.Elapsed.TotalMilliseconds)):F0} ms";

    /// <summary>
    /// The slowest answer by the gateway's account, with what its client waited; and, when another answer kept its client
    /// waiting longer, that one too: a wait the gateway does not account for was the machine's or the client's.
    /// </summary>
    private static string Slowest(List<Ledger.Answer> answers)
    {
        if (answers.MaxBy(a => a.AtGateway ?? a.Elapsed) is not { } slowest)
        {
            return "nothing";
        }

        var line = $"{answers.Count} {(answers.Count == 1 ? "request" : "requests")}, the slowest {Describe(slowest)}";
        return answers.MaxBy(a => a.Elapsed) is { } longest && longest != slowest ? $"{line}; the longest wait {Describe(longest)}" : line;
    }

    /// <summary>How the routes of the services left running answered: what a dead service took with it, beyond its own routes.</summary>
    private static string Others(List<Ledger.Answer> answers) =>
        $"{answers.Count(a => a.Status is >= 200 and < 300)} × 2xx, {answers.Count(a => a.Status == 503)} × 503 of {answers.Count} requests, the slowest " +
        (answers.MaxBy(a => a.AtGateway ?? a.Elapsed) is { } slowest ? Describe(slowest) : "none");

    private static string Describe(Ledger.Answer answer) =>
        $"{answer.Route} {answer.Status} in {Milliseconds(answer.AtGateway)} at the gateway ({Milliseconds(answer.Elapsed)} at the client)";

    private static string Milliseconds(TimeSpan? time) => time is { } known ? $"{known.TotalMilliseconds:F0} ms" : "unknown";

    private void Report(LoadDriver load, string headline, IEnumerable<string> notes)
    {
        var line = $"[faults] {headline}\n[faults] {load.Ledger.Summary()}\n{string.Join("\n", notes.Select(n => "[faults]   " + n))}";
        output.WriteLine(line);
        global::System.Console.WriteLine(line);
    }

    /// <summary>
    /// A fault is when errors are logged with what was being done: still no phone number or token in any line any process
    /// of this system wrote since it started (the shapes <see cref="SecretPatterns"/> finds).
    /// </summary>
    private void AssertNothingSecretLogged()
    {
        var lines = system.Logs.ToList();
        var leaks = lines.Where(l => SecretPatterns.In(l.Line).Any()).Select(l => $"{l.Resource}: {l.Line}").ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {lines.Count} lines carry a phone number or a token:\n{string.Join('\n', leaks.Take(20))}");
    }

    private static void AssertNoFailures(LoadDriver load)
    {
        var failures = load.Ledger.Answers.Where(Ledger.IsFailure).Concat(load.Ledger.Answers.Where(Ledger.IsBareUnavailable)).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} answers neither 2xx, 4xx nor 503 service_unavailable:\n{string.Join("\n", failures.Take(20))}");
    }
}
