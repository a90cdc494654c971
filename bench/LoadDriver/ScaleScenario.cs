using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// The member list (a search page) and the check in an organisation of 100,000 members and 1,000 groups beside
/// the same in a 100-member organisation, in one run (goal: p99 ratio ≤ 1.2). Both organisations are created
/// through the API (so that their creators can list members); bench/Seeder then writes the members straight
/// into the permission database. Checks are asked by a service client about seeded staff members.
/// </summary>
public static class ScaleScenario
{
    public static async Task RunAsync(DriverOptions options)
    {
        var secret = options.ClientSecret ?? throw new ArgumentException("--client-secret: the dev-service client's secret (Parameters__dev-service-client-secret)");
        using var gateway = options.Client();
        var api = new TeamPlatformClient(gateway);
        var serviceToken = await ServiceTokenAsync(gateway, secret);

        var large = await SeededOrganisationAsync(api, options, members: 100_000, groups: 1_000);
        var small = await SeededOrganisationAsync(api, options, members: 100, groups: 10);

        var reports = new Dictionary<string, LatencyReport>();
        foreach (var (name, org) in new[] { ("100,000 members", large), ("100 members", small) })
        {
            var checks = Check(gateway, serviceToken, org);
            await OpenLoop.RunAsync("warm-up", 50, TimeSpan.FromSeconds(3), checks); // loads the organisation into memory
            reports[$"list {name}"] = await OpenLoop.RunAsync($"member list, search '{org.Search}', {name}", options.Rate / 10, options.Duration,
                List(gateway, org));
            reports[$"check {name}"] = await OpenLoop.RunAsync($"check by a service, {name}", options.Rate, options.Duration, checks);
        }

        foreach (var report in reports.Values)
        {
            Console.WriteLine(report);
        }

        Console.WriteLine($"member list p99 ratio (100,000 ÷ 100) = {reports["list 100,000 members"].P99 / reports["list 100 members"].P99:F3}");
        Console.WriteLine($"check p99 ratio (100,000 ÷ 100) = {reports["check 100,000 members"].P99 / reports["check 100 members"].P99:F3}");
    }

    private sealed record SeededOrg(Guid OrgId, string AdminToken, string Search, Guid[] Staff, Guid[] Groups);

    private static async Task<SeededOrg> SeededOrganisationAsync(TeamPlatformClient api, DriverOptions options, int members, int groups)
    {
        var org = await api.CreateOrganisationAsync();
        var json = Path.Combine(Path.GetTempPath(), $"seed-{org.OrgId}.json");
        var seeder = Process.Start(new ProcessStartInfo("dotnet",
        [
            "run", "-c", "Release", "--project", options.SeederProject, "--",
            "--connection", options.PermissionDatabase, "--org", org.OrgId.ToString(),
            "--members", members.ToString(), "--groups", groups.ToString(), "--json", json,
        ]) { RedirectStandardOutput = true })!;
        await seeder.StandardOutput.ReadToEndAsync();
        await seeder.WaitForExitAsync();
        if (seeder.ExitCode != 0)
        {
            throw new InvalidOperationException($"the seeder failed ({seeder.ExitCode})");
        }

        var seeded = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        File.Delete(json);
        Console.WriteLine($"seeded {members} members and {groups} groups into {org.Slug} in {seeded.GetProperty("seconds").GetDouble()} s");
        return new SeededOrg(
            org.OrgId,
            org.Creator.AccessToken!,
            seeded.GetProperty("searchSample").GetString()!,
            seeded.GetProperty("staff").EnumerateArray().Select(e => e.GetGuid()).ToArray(),
            seeded.GetProperty("sampleGroups").EnumerateArray().Select(e => e.GetGuid()).ToArray());
    }

    private static Func<int, Task<bool>> List(HttpClient client, SeededOrg org) => async i =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/members?q={org.Search}&page={1 + (i % 3)}&pageSize=50");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", org.AdminToken);
        using var response = await client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    };

    private static Func<int, Task<bool>> Check(HttpClient client, string token, SeededOrg org) => async i =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check")
        {
            Content = JsonContent.Create(new
            {
                orgId = org.OrgId,
                memberId = org.Staff[i % org.Staff.Length],
                permission = "message_inbox",
                groupIds = new[] { org.Groups[i % org.Groups.Length] },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    };

    private static async Task<string> ServiceTokenAsync(HttpClient gateway, string secret)
    {
        using var response = await gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "dev-service",
            ["client_secret"] = secret,
            ["scope"] = "permissions.check",
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
