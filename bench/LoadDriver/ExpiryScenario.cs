using System.Diagnostics;
using System.Net.Http.Headers;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// Time-bound access ending on two replicas at once. The staff member is given the other group too, until an instant
/// a second ahead, on one replica; from just before that instant both replicas are asked (without <c>minRevision</c>)
/// until each answers that the group is no longer theirs. A sample is the time from the instant to the arrival of that
/// answer, so it includes the check's own round trip, which is reported beside it from the same requests. An answer of
/// the end that arrives before the instant is counted as early (it would be a defect). Needs the system started with
/// two replicas (<c>Replicas__permission=2 ./run.sh</c>): <c>--direct</c> takes the changes, both are asked.
/// </summary>
public static class ExpiryScenario
{
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AskFrom = TimeSpan.FromMilliseconds(50);

    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        using var first = options.Client(options.Direct ?? throw new ArgumentException("--direct (the replica that takes changes) is required"));
        using var second = options.Client(options.Replica ?? throw new ArgumentException("--replica (the other replica) is required"));
        var team = await Team.CreateAsync(gateway);
        var lags = new List<double>(options.Tries * 2);
        var roundTrips = new List<double>();
        var early = 0;
        var started = Stopwatch.GetTimestamp();

        for (var attempt = 0; attempt < options.Tries; attempt++)
        {
            var endsAt = DateTimeOffset.UtcNow + Lead;
            using (var change = new HttpRequestMessage(HttpMethod.Put, $"/api/members/{team.Staff.MemberId}/access")
            {
                Content = JsonBody.Of(new { role = "staff", groupIds = new[] { team.GrantedGroup, team.OtherGroup }, expiresAt = endsAt }),
            })
            {
                change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", team.Org.Creator.AccessToken);
                using var changed = await first.SendAsync(change);
                changed.EnsureSuccessStatusCode();
            }

            var ends = await Task.WhenAll(
                FirstEndAsync(first, team.Staff.AccessToken!, team.OtherGroup, endsAt),
                FirstEndAsync(second, team.Staff.AccessToken!, team.OtherGroup, endsAt));
            foreach (var end in ends)
            {
                lags.Add(end.LagMs);
                roundTrips.AddRange(end.RoundTripsMs);
                early += end.Early ? 1 : 0;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(LatencyReport.Of("end instant → a replica answers the end", [.. lags], early, elapsed, null));
        Console.WriteLine(LatencyReport.Of("the check's own round trip", [.. roundTrips], 0, elapsed, null));
        Console.WriteLine($"early answers (before the instant): {early}");
    }

    private static async Task<(double LagMs, bool Early, List<double> RoundTripsMs)> FirstEndAsync(
        HttpClient replica, string token, string group, DateTimeOffset endsAt)
    {
        var untilAsking = endsAt - AskFrom - DateTimeOffset.UtcNow;
        if (untilAsking > TimeSpan.Zero)
        {
            await Task.Delay(untilAsking);
        }

        var roundTrips = new List<double>();
        while (true)
        {
            var asked = Stopwatch.GetTimestamp();
            var allowed = await PropagationScenario.AllowedAsync(replica, token, group);
            var answeredAt = DateTimeOffset.UtcNow;
            roundTrips.Add(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
            if (!allowed)
            {
                return ((answeredAt - endsAt).TotalMilliseconds, answeredAt < endsAt, roundTrips);
            }

            if (answeredAt - endsAt > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("a replica still answered the ended access 10 s after its end");
            }
        }
    }
}
