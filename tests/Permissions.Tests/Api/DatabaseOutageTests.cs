using System.Net;
using System.Net.Http.Json;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>
/// The service's own database stopped under it (docs/operations.md#health): a request is refused with the answer a
/// client knows to retry, never a 500, nothing is half-written, and once the database is back the same process answers
/// again, without a restart.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task While_its_database_is_down_requests_are_answered_503_service_unavailable_and_afterwards_the_same_process_answers_again()
    {
        await using var postgres = await RestartablePostgres.StartAsync(await TestServers.Instance);
        await using var host = await PermissionHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:permissiondb"] = $"{postgres.ConnectionString};Database=permission",
        });
        var team = await Team.CreateAsync(host);
        await team.GroupAsync("Youth");

        await postgres.StopAsync();
        HttpResponseMessage list, create, health;
        try
        {
            list = await team.Admin.GetAsync("/api/groups");
            create = await team.Admin.PostAsJsonAsync("/api/groups", new { name = "Choir" });
            health = await host.CreateClient().GetAsync("/health");
        }
        finally
        {
            await postgres.StartAsync();
        }

        foreach (var response in new[] { list, create })
        {
            Assert.Equal("service_unavailable", await response.Problem(HttpStatusCode.ServiceUnavailable));
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var groups = await Eventually.Until(() => team.Admin.GetAsync("/api/groups"), response => response.IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "the groups listed again");
        Assert.Equal(["Youth"], (await groups.Json()).GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetAsync("/health")).StatusCode);
    }
}
