using System.Net;
using System.Net.Http.Headers;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// The permission check at a fixed open-loop rate through the gateway and directly on the service, a trivial route
/// (<c>GET /api/roles</c>) through the same hop at the same rate, then throughput at saturation through the gateway
/// beside that route, in the same run.
/// </summary>
public static class CheckScenario
{
    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        var team = await Team.CreateAsync(gateway);
        var check = new { permission = "message_inbox", action = "view", groupIds = new[] { team.GrantedGroup } };

        Func<int, Task<bool>> CheckOn(HttpClient client) => async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check") { Content = JsonBody.Of(check) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", team.Staff.AccessToken);
            using var response = await client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        };

        Func<int, Task<bool>> Roles(HttpClient client) => async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/roles");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", team.Staff.AccessToken);
            using var response = await client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        };

        Func<int, Task<bool>> Alive(HttpClient client) => async _ =>
        {
            using var response = await client.GetAsync("/alive");
            return response.StatusCode == HttpStatusCode.OK;
        };

        // Warm both paths (JIT, connection pools, the organisation's snapshot).
        await OpenLoop.RunAsync("warm-up", 200, TimeSpan.FromSeconds(3), CheckOn(gateway));

        // The floor of this machine at this rate: the gateway answers its own liveness probe (no token, no hop),
        // so the driver, the sockets and the scheduler are all that is measured.
        await OpenLoop.RunAsync("warm-up", 200, TimeSpan.FromSeconds(3), Alive(gateway));
        var floor = await OpenLoop.RunAsync("gateway's own /alive (open loop, the floor)", options.Rate, options.Duration, Alive(gateway));
        Console.WriteLine(floor);

        var checkViaGateway = await OpenLoop.RunAsync("check via gateway (open loop)", options.Rate, options.Duration, CheckOn(gateway));
        Console.WriteLine(checkViaGateway);

        // The same hop with nothing of the check in it: a route the service answers from memory, so that what the hop
        // itself costs on this machine is told apart from what the check adds to it.
        await OpenLoop.RunAsync("warm-up", 200, TimeSpan.FromSeconds(3), Roles(gateway));
        var hop = await OpenLoop.RunAsync("GET /api/roles via gateway (open loop, the hop)", options.Rate, options.Duration, Roles(gateway));
        Console.WriteLine(hop);
        Console.WriteLine($"check p99 / floor p99 = {checkViaGateway.P99 / floor.P99:F2}; check p50 - floor p50 = {checkViaGateway.P50 - floor.P50:F2} ms");
        Console.WriteLine($"check p99 / hop p99 = {checkViaGateway.P99 / hop.P99:F2}; check p50 - hop p50 = {checkViaGateway.P50 - hop.P50:F2} ms");
        if (options.Direct is not null)
        {
            using var direct = options.Client(options.Direct);
            await OpenLoop.RunAsync("warm-up", 200, TimeSpan.FromSeconds(3), CheckOn(direct));
            Console.WriteLine(await OpenLoop.RunAsync("check on the service (open loop)", options.Rate, options.Duration, CheckOn(direct)));
        }

        var saturatedCheck = await OpenLoop.SaturateAsync("check via gateway (saturation, 32 workers)", 32, options.Duration, CheckOn(gateway));
        var saturatedRoles = await OpenLoop.SaturateAsync("GET /api/roles via gateway (saturation, 32 workers)", 32, options.Duration, Roles(gateway));
        Console.WriteLine(saturatedCheck);
        Console.WriteLine(saturatedRoles);
        Console.WriteLine($"check throughput / trivial route throughput = {saturatedCheck.Throughput / saturatedRoles.Throughput:F3}");
    }
}
