using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// The member list (a search page) and the check in an organisation of 100,000 members and 1,000 groups beside
/// the same in a 100-member organisation, in one run (goal: p99 ratio ≤ 1.2): the first pages of the list, a
/// search for one person, and a search for a surname a tenth of the members share (its total counted to 1,000,
/// at an admin's pace rather than a service's). Both organisations are created
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

        var large = await SeededOrganisations.CreateAsync(api, options, members: 100_000, groups: 1_000);
        var small = await SeededOrganisations.CreateAsync(api, options, members: 100, groups: 10);

        var reports = new Dictionary<string, LatencyReport>();
        // Seeding leaves the database busy for a while (checkpoint, autovacuum): let it settle before measuring.
        Console.WriteLine($"settling for {options.Settle.TotalSeconds:F0} s");
        await Task.Delay(options.Settle);
        var organisations = new[] { (Name: "100,000 members", Org: large), (Name: "100 members", Org: small) };
        foreach (var (name, org) in organisations)
        {
            await OpenLoop.RunAsync("warm-up", 50, TimeSpan.FromSeconds(3), Check(gateway, serviceToken, org)); // loads the organisation into memory
            await OpenLoop.RunAsync("warm-up", 10, TimeSpan.FromSeconds(3), List(gateway, org, search: null));
            await OpenLoop.RunAsync("warm-up", 10, TimeSpan.FromSeconds(3), List(gateway, org, org.Person));
        }

        // What each search finds, so that a fast answer is known to be a right one.
        var matches = new Dictionary<SeededOrg, int>();
        foreach (var (name, org) in organisations)
        {
            foreach (var search in new[] { org.Person, org.Search })
            {
                var (found, total) = await FindAsync(gateway, org, search);
                Console.WriteLine($"member search '{search}' in {name}: {found}");
                if (search == org.Search)
                {
                    matches[org] = total;
                }
            }
        }

        // Pages of 50 of the shared surname are full in the large organisation and mostly empty in the small one, so
        // that measure compares three full pages with one short page. The same search with pages both organisations
        // fill (the small one's matches over three pages) compares the cost of equal pages: what "a page's cost
        // depends on the page, not on how many match" asks.
        var equalPage = Math.Max(1, Math.Min(50, matches.Values.Min() / 3));

        // Each measurement runs in both organisations at once, each at half the rate: whatever the machine does
        // meanwhile touches both alike, and the total load is the rate asked for.
        var measurements = new (string Key, Func<SeededOrg, string> Label, int Rate, Func<SeededOrg, Func<int, Task<bool>>> Request)[]
        {
            ("check", _ => "check by a service", options.Rate, org => Check(gateway, serviceToken, org)),
            ("list", _ => "member list pages 1-3", options.Rate / 10, org => List(gateway, org, search: null)),
            ("person", org => $"member search '{org.Person}'", options.Rate / 10, org => List(gateway, org, org.Person)),
            ("surname", org => $"member search '{org.Search}'", 10, org => List(gateway, org, org.Search)),
            ("surname, equal pages", org => $"member search '{org.Search}', pages of {equalPage}", 10, org => List(gateway, org, org.Search, equalPage)),
        };
        foreach (var measurement in measurements)
        {
            var runs = organisations.Select(o => OpenLoop.RunAsync($"{measurement.Label(o.Org)}, {o.Name}", measurement.Rate / 2,
                options.Duration, measurement.Request(o.Org))).ToArray();
            var measured = await Task.WhenAll(runs);
            for (var i = 0; i < organisations.Length; i++)
            {
                reports[$"{measurement.Key} {organisations[i].Name}"] = measured[i];
            }
        }

        foreach (var report in reports.Values)
        {
            Console.WriteLine(report);
        }

        foreach (var (measure, _, _, _) in measurements)
        {
            var (inLarge, inSmall) = (reports[$"{measure} 100,000 members"], reports[$"{measure} 100 members"]);
            Console.WriteLine($"{measure}: p50 ratio (100,000 ÷ 100) = {inLarge.P50 / inSmall.P50:F3}, p99 ratio = {inLarge.P99 / inSmall.P99:F3}");
        }
    }

    private static Func<int, Task<bool>> List(HttpClient client, SeededOrg org, string? search, int pageSize = 50) => async i =>
    {
        var query = search is null ? "" : $"q={Uri.EscapeDataString(search)}&";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/members?{query}page={1 + (i % 3)}&pageSize={pageSize}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", org.AdminToken);
        using var response = await client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    };

    private static async Task<(string Found, int Total)> FindAsync(HttpClient client, SeededOrg org, string search)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/members?q={Uri.EscapeDataString(search)}&pageSize=50");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", org.AdminToken);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = page.GetProperty("items").GetArrayLength();
        if (items == 0)
        {
            throw new InvalidOperationException($"The search '{search}' found nobody: the measurement would time an empty answer.");
        }

        var total = page.GetProperty("total").GetInt32();
        var first = page.GetProperty("items")[0].GetProperty("username").GetString();
        return ($"{total:N0}{(page.GetProperty("totalIsLowerBound").GetBoolean() ? "+" : "")} members, {items} on the first page, first '{first}'", total);
    }

    private static Func<int, Task<bool>> Check(HttpClient client, string token, SeededOrg org) => async i =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check")
        {
            Content = JsonBody.Of(new
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
