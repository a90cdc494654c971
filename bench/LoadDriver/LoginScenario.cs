using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Identity;
using TeamPlatform.Testing;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// Password grants through the gateway at a fixed rate, beside the password hash alone measured in the same
/// run: login time ÷ hash time shows what everything but the hash costs (goal ≤ 1.1).
/// </summary>
public static class LoginScenario
{
    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        var api = new TeamPlatformClient(gateway);
        var org = await api.CreateOrganisationAsync();

        async Task<bool> Login(int _)
        {
            using var response = await api.RequestTokenAsync(org.Slug, org.Creator.Phone);
            return response.StatusCode == HttpStatusCode.OK;
        }

        // The first logins of a fresh process run unoptimised code (JIT tiering) and open connections.
        await OpenLoop.RunAsync("warm-up", options.Rate, TimeSpan.FromSeconds(20), Login);
        var hash = MeasureHash(iterations: 40);
        var logins = await OpenLoop.RunAsync("password grant via gateway", options.Rate, options.Duration, Login);
        var hashAfter = MeasureHash(iterations: 40);

        Console.WriteLine(hash);
        Console.WriteLine(logins);
        Console.WriteLine(hashAfter);
        var hashP50 = (hash.P50 + hashAfter.P50) / 2;
        Console.WriteLine($"login p50 / hash p50 = {logins.P50 / hashP50:F3}; login p99 / hash p50 = {logins.P99 / hashP50:F3}");
    }

    // ASP.NET Core Identity's hasher with its defaults, exactly as identity uses it.
    private static LatencyReport MeasureHash(int iterations)
    {
        var hasher = new PasswordHasher<object>();
        var stored = hasher.HashPassword(new object(), TeamPlatformClient.Password);
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            hasher.VerifyHashedPassword(new object(), stored, TeamPlatformClient.Password);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return LatencyReport.Of("password hash verify alone (in process)", samples, 0, TimeSpan.FromMilliseconds(samples.Sum()), null);
    }
}
