using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// The member list (a search page) and the check in an organisation of 100,000 members and 1,000 groups
/// (written by bench/Seeder) beside the same in a 100-member organisation, in one run (goal: p99 ratio ≤ 1.2).
/// </summary>
public static class ScaleScenario
{
    public static async Task RunAsync(DriverOptions options)
    {
        var seeded = options.SeededOrg ?? throw new ArgumentException("--org: the access token file of the seeded organisation's admin (bench/Seeder prints it)");
        using var client = options.Client(options.Direct ?? options.Gateway);
        var large = await File.ReadAllLinesAsync(seeded);
        var small = await File.ReadAllLinesAsync(options.SeededMember ?? throw new ArgumentException("--member: the same file for the 100-member organisation"));

        foreach (var (name, lines) in new[] { ("100,000 members", large), ("100 members", small) })
        {
            var adminToken = lines[0];
            var memberToken = lines[1];
            var group = lines[2];
            Console.WriteLine(await OpenLoop.RunAsync($"member list, search 'mem', {name}", Math.Max(1, options.Rate / 10), options.Duration,
                Send(client, adminToken, () => new HttpRequestMessage(HttpMethod.Get, "/api/members?q=mem&page=3&pageSize=50"))));
            Console.WriteLine(await OpenLoop.RunAsync($"check, {name}", options.Rate, options.Duration,
                Send(client, memberToken, () => new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check")
                {
                    Content = JsonContent.Create(new { permission = "message_inbox", groupIds = new[] { group } }),
                })));
        }
    }

    private static Func<int, Task<bool>> Send(HttpClient client, string token, Func<HttpRequestMessage> build) => async _ =>
    {
        using var request = build();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    };
}
