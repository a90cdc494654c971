using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using TeamPlatform.LoadDriver;

namespace TeamPlatform.Topologies;

/// <summary>
/// An admin changes a member's access through one gateway (<c>gateway</c>, on its own port); from its answer on, the driver
/// asks the other gateway (<c>gateway-b</c>, which spreads its calls over both permission replicas) and each replica
/// directly, in turn and one request at a time, whether the member may now view the new group's inbox (without
/// <c>minRevision</c>). A place "answers the new state" at its first answer that says so; the system agrees when all three
/// have. After every change, one bare broker round trip on the system's own virtual host, so that the floor is measured
/// in the same minutes.
/// </summary>
public static class PropagationAcrossGateways
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(RunningSystem system, Func<Uri, HttpClient> client, int changes)
    {
        using var front = client(system.Address(system.Front));
        using var changedThrough = client(system.Address("gateway"));
        var asked = new (string Name, HttpClient Client)[]
        {
            ("the other gateway (gateway-b)", client(system.Address("gateway-b"))),
            ("replica permission, directly", client(system.Address("permission"))),
            ("replica permission-b, directly", client(system.Address("permission-b"))),
        };
        var team = await Team.CreateAsync(front);
        await using var broker = await BrokerProbe.OpenAsync(system.BrokerAddress);

        var changeLatencies = new List<double>(changes);
        var answered = asked.ToDictionary(place => place.Name, _ => new List<double>(changes));
        var agreed = new List<double>(changes);
        var brokerTrips = new List<double>(changes);
        const int warmUp = 20;
        Console.WriteLine($"load average before: {SaturationComparison.LoadAverage()}");
        for (var attempt = 0; attempt < warmUp + changes; attempt++)
        {
            var counted = attempt >= warmUp;
            var group = attempt % 2 == 0 ? team.OtherGroup : team.GrantedGroup;
            using var change = new HttpRequestMessage(HttpMethod.Put, $"/api/members/{team.Staff.MemberId}/access")
            {
                Content = JsonBody.Of(new { role = "staff", groupIds = new[] { group } }),
            };
            change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", team.Org.Creator.AccessToken);
            var sent = Stopwatch.GetTimestamp();
            using (var changed = await changedThrough.SendAsync(change))
            {
                changed.EnsureSuccessStatusCode();
            }

            var started = Stopwatch.GetTimestamp();
            var pending = asked.ToList();
            var times = new Dictionary<string, double>();
            while (pending.Count > 0)
            {
                foreach (var place in pending.ToList())
                {
                    if (await AnswersAsync(place.Client, team.Staff.AccessToken!, group))
                    {
                        times[place.Name] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        pending.Remove(place);
                    }
                }

                if (pending.Count > 0 && Stopwatch.GetElapsedTime(started) > GiveUp)
                {
                    throw new TimeoutException($"{string.Join(", ", pending.Select(p => p.Name))} did not answer the change within {GiveUp.TotalSeconds} s");
                }
            }

            var trip = await broker.RoundTripAsync();
            if (counted)
            {
                changeLatencies.Add((started - sent) * 1000.0 / Stopwatch.Frequency);
                foreach (var (name, ms) in times)
                {
                    answered[name].Add(ms);
                }

                agreed.Add(times.Values.Max());
                brokerTrips.Add(trip);
            }
        }

        Console.WriteLine($"load average after: {SaturationComparison.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"{changes} changes through gateway; times from the change's answer:");
        Console.WriteLine("| what | p50 | p90 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("the change itself (PUT through gateway, to its answer)", changeLatencies);
        foreach (var (name, samples) in answered)
        {
            Row($"{name} answers the new state", samples);
        }

        Row("**all three answer it** (the system agrees)", agreed);
        Row(BrokerProbe.Name, brokerTrips);
        var over = agreed.Count(ms => ms > 250);
        Console.WriteLine($"changes on which the system agreed after more than 250 ms: {over} of {changes}");
        foreach (var place in asked)
        {
            place.Client.Dispose();
        }
    }

    /// <summary>A refusal or a failed call (a busy machine) is not the new state: the place is asked again.</summary>
    private static async Task<bool> AnswersAsync(HttpClient place, string token, string group)
    {
        try
        {
            return await PropagationScenario.AllowedAsync(place, token, group);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static void Row(string what, List<double> samples)
    {
        var report = LatencyReport.Of(what, [.. samples], 0, TimeSpan.FromSeconds(1), null);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {report.P50:F2} ms | {report.P90:F2} ms | {report.P99:F2} ms | {report.Max:F2} ms |"));
    }
}
