using System.Diagnostics;
using System.Net;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// From the moment blocking a member is answered to the gateway refusing that member's access token, over
/// many tries (goal p99 ≤ 250 ms). Between tries the member is unblocked and signs in again.
/// </summary>
public static class RevocationScenario
{
    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        var team = await Team.CreateAsync(gateway);
        var api = team.Api;
        var samples = new List<double>(options.Tries);
        var run = Stopwatch.StartNew();

        for (var attempt = 0; attempt < options.Tries; attempt++)
        {
            await Team.SetAccessAsync(api, team.Org.Creator, team.Staff.MemberId, new { role = "staff", groupIds = new[] { team.GrantedGroup } });
            // Tokens carry iat in whole seconds: sign in on a later second than the last revocation.
            await Task.Delay(1100);
            await api.SignInAsync(team.Staff, team.Org.Slug);
            using (var before = await api.SendAs(team.Staff, HttpMethod.Get, "/api/me"))
            {
                if (before.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"fresh token refused: {(int)before.StatusCode}");
                }
            }

            await Team.SetAccessAsync(api, team.Org.Creator, team.Staff.MemberId, new { role = "none" });
            var blocked = Stopwatch.GetTimestamp();
            while (true)
            {
                using var probe = await api.SendAs(team.Staff, HttpMethod.Get, "/api/me");
                if (probe.StatusCode == HttpStatusCode.Unauthorized)
                {
                    break;
                }

                if (Stopwatch.GetElapsedTime(blocked) > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException("the gateway still accepts a blocked member's token after 10 s");
                }
            }

            samples.Add(Stopwatch.GetElapsedTime(blocked).TotalMilliseconds);
        }

        Console.WriteLine(LatencyReport.Of("block answered → gateway refuses the token", [.. samples], 0, run.Elapsed, null));
    }
}
