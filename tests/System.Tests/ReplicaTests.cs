using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>Two permission replicas, addressed one by one: a change made on one is answered by the other.</summary>
[Collection(nameof(SystemCollection))]
public sealed class ReplicaTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task A_change_on_one_replica_is_seen_by_the_other_at_once_with_minRevision_and_through_its_queue_without()
    {
        var org = await _api.CreateOrganisationAsync();
        await _api.RegisterAsync(org.Slug);
        var member = await _api.RegisterAsync(org.Slug);
        var youth = await CreateGroupAsync(org.Creator, "Youth");
        var choir = await CreateGroupAsync(org.Creator, "Choir");
        await ChangeAsync(system.Instance("permission"), org.Creator, member, youth);
        await _api.SignInAsync(member, org.Slug);
        var first = system.Instance("permission");
        var second = system.Instance("permission-b");
        Assert.True(await AllowedAsync(second, member, youth, minRevision: null));

        // Read your writes: the revision of a change made on one replica, asked of the other.
        var revision = await ChangeAsync(first, org.Creator, member, choir);
        Assert.True(await AllowedAsync(second, member, choir, revision));
        Assert.False(await AllowedAsync(second, member, youth, revision));

        // Without minRevision the other replica hears of the change through its own queue. How fast is measured in
        // the propagation benchmark (docs/benchmarks.md), not here: a loaded test machine would make it flaky.
        await ChangeAsync(first, org.Creator, member, youth);
        await Eventually.Until(() => AllowedAsync(second, member, youth, null), allowed => allowed,
            TimeSpan.FromSeconds(15), "the other replica to answer the change");
    }

    private static async Task<long> ChangeAsync(HttpClient replica, Member admin, Member member, string group)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/members/{member.MemberId}/access")
        {
            Content = JsonContent.Create(new { role = "staff", groupIds = new[] { group } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        var response = await replica.SendAsync(request);
        await Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt64();
    }

    private static async Task<bool> AllowedAsync(HttpClient replica, Member member, string group, long? minRevision)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check")
        {
            Content = JsonContent.Create(new { permission = "message_inbox", groupIds = new[] { group }, minRevision }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", member.AccessToken);
        var response = await replica.SendAsync(request);
        await Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowed").GetBoolean();
    }

    private async Task<string> CreateGroupAsync(Member admin, string name)
    {
        var response = await _api.SendAs(admin, HttpMethod.Post, "/api/groups", new { name });
        await Expect(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
