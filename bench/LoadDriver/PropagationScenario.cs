using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// A change made on one permission replica until the other replica answers the new state (without
/// <c>minRevision</c>), over many changes, beside the bare broker round trip measured in the same run.
/// Needs the system started with two replicas (<c>Replicas__permission=2 ./run.sh</c>): <c>--direct</c> is
/// the replica that takes the change, <c>--replica</c> the one that is asked.
/// </summary>
public static class PropagationScenario
{
    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        using var first = options.Client(options.Direct ?? throw new ArgumentException("--direct (the replica that takes changes) is required"));
        using var second = options.Client(options.Replica ?? throw new ArgumentException("--replica (the replica that is asked) is required"));
        var team = await Team.CreateAsync(gateway);
        var admin = team.Org.Creator;
        var samples = new List<double>(options.Tries);

        for (var attempt = 0; attempt < options.Tries; attempt++)
        {
            var group = attempt % 2 == 0 ? team.OtherGroup : team.GrantedGroup;
            using var change = new HttpRequestMessage(HttpMethod.Put, $"/api/members/{team.Staff.MemberId}/access")
            {
                Content = JsonBody.Of(new { role = "staff", groupIds = new[] { group } }),
            };
            change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
            using (var changed = await first.SendAsync(change))
            {
                changed.EnsureSuccessStatusCode();
            }

            var started = Stopwatch.GetTimestamp();
            while (!await AllowedAsync(second, team.Staff.AccessToken!, group))
            {
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException("the other replica did not see the change within 10 s");
                }
            }

            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine(LatencyReport.Of("change on one replica → the other answers it", [.. samples], 0, TimeSpan.FromSeconds(1), null));
        Console.WriteLine(await BrokerRoundTripAsync(options.Tries));
    }

    /// <summary>Whether <paramref name="replica"/> (or a gateway) answers that the member may view the group's inbox, asked without <c>minRevision</c>.</summary>
    public static async Task<bool> AllowedAsync(HttpClient replica, string token, string group)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check")
        {
            Content = JsonBody.Of(new { permission = "message_inbox", groupIds = new[] { group } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await replica.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowed").GetBoolean();
    }

    private static async Task<LatencyReport> BrokerRoundTripAsync(int tries)
    {
        await using var probe = await BrokerProbe.OpenAsync();
        var samples = new double[tries];
        for (var i = 0; i < tries; i++)
        {
            samples[i] = await probe.RoundTripAsync();
        }

        return LatencyReport.Of(BrokerProbe.Name, samples, 0, TimeSpan.FromMilliseconds(samples.Sum()), null);
    }
}
