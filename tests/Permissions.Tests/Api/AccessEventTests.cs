using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>
/// Every write of a member's access tells what the member holds afterwards, exactly as <c>effective-permissions</c>
/// answers it: identity keeps its copy for <c>GET /api/me</c> from these alone (decision 0011).
/// </summary>
[Collection(nameof(PermissionCollection))]
public sealed class AccessEventTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task Registration_answers_what_the_new_member_holds()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var group = await team.GroupAsync();

        var pending = await team.RegisterAsync();
        var invited = await team.RegisterAsync("invitation", new { role = "staff", groupIds = new[] { group } });

        foreach (var answer in new[] { pending, invited })
        {
            var registered = answer.Deserialize<RegisterMemberResponse>(JsonSerializerOptions.Web)!;
            var effective = await EffectiveAsync(team, registered.MemberId);
            Assert.Equal(effective.GroupIds, registered.GroupIds);
            Assert.Equal(Normalised(effective.Permissions), Normalised(registered.Permissions));
        }

        Assert.Equal([group], invited.Deserialize<RegisterMemberResponse>(JsonSerializerOptions.Web)!.GroupIds);
        Assert.Equal("\"none\"", Normalised(pending.Deserialize<RegisterMemberResponse>(JsonSerializerOptions.Web)!.Permissions)["keywords"]);
    }

    [Fact]
    public async Task Approval_a_new_preset_the_admin_toggle_a_block_an_unblock_and_a_removal_each_publish_what_the_member_holds()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var group = await team.GroupAsync();
        var member = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();

        object[] changes =
        [
            new { role = "staff", groupIds = new[] { group } },
            new { role = "custom", permissions = new Dictionary<string, object> { ["people"] = new { scope = "groups", groupIds = new[] { group } }, ["keywords"] = "view" } },
            new { role = "admin" },
            new { role = "none" },
            new { role = "manager" },
        ];
        foreach (var access in changes)
        {
            var response = await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", access);
            var revision = (await response.Json()).GetProperty("revision").GetInt64();
            await AssertPublishedAsync(team, member, revision);
        }

        var removal = (await (await team.Admin.DeleteAsync($"/api/members/{member}")).Json()).GetProperty("revision").GetInt64();
        var removed = await AssertPublishedAsync(team, member, removal);
        Assert.Equal("removed", removed.Status);
        Assert.All(removed.Permissions!.Values, p => Assert.Contains(JsonSerializer.Serialize(p), new[] { "false", "\"none\"", """{"scope":"off"}""" }));
    }

    [Fact]
    public async Task Deleting_a_group_publishes_what_each_stripped_member_holds_and_nothing_for_the_others()
    {
        var team = await Team.CreateAsync(_host);
        var youth = await team.GroupAsync("Youth");
        var leaders = await team.GroupAsync("Leaders");
        var both = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth, leaders } });
        var custom = await team.MemberAsync(new { role = "custom", permissions = new { broadcasts = new { scope = "groups", groupIds = new[] { youth } } } });
        var untouched = await team.MemberAsync(new { role = "staff", groupIds = new[] { leaders } });

        var revision = (await (await team.Admin.DeleteAsync($"/api/groups/{youth}")).Json()).GetProperty("revision").GetInt64();

        var staffEvent = await AssertPublishedAsync(team, both, revision);
        Assert.Equal([leaders], staffEvent.GroupIds!);
        Assert.Equal(("active", "active", "staff"), (staffEvent.Status, staffEvent.PreviousStatus, staffEvent.Role));
        var customEvent = await AssertPublishedAsync(team, custom, revision);
        Assert.Equal("""{"scope":"off"}""", JsonSerializer.Serialize(customEvent.Permissions!["broadcasts"]));
        await _host.Bus.WaitFor<GroupDeleted>(e => e.GroupId == youth);
        Assert.Empty(_host.Bus.Received<MemberAccessChanged>(e => e.MemberId == untouched));
    }

    /// <summary>Waits for the member's event at <paramref name="revision"/> and checks it against permission's own answer now.</summary>
    private async Task<MemberAccessChanged> AssertPublishedAsync(Team team, Guid member, long revision)
    {
        var published = await _host.Bus.WaitFor<MemberAccessChanged>(e => e.MemberId == member && e.Revision == revision);
        var effective = await EffectiveAsync(team, member);
        Assert.Equal((effective.Status, effective.Role, effective.IsAdmin), (published.Status, published.Role, published.IsAdmin));
        Assert.Equal(effective.GroupIds, published.GroupIds!);
        Assert.Equal(Normalised(effective.Permissions), Normalised(published.Permissions!));
        return published;
    }

    private async Task<EffectivePermissionsResponse> EffectiveAsync(Team team, Guid member)
    {
        using var identity = _host.InternalClient("identity");
        var response = await identity.GetAsync($"/internal/orgs/{team.OrgId}/members/{member}/effective-permissions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<EffectivePermissionsResponse>(JsonSerializerOptions.Web))!;
    }

    private static Dictionary<string, string> Normalised(IReadOnlyDictionary<string, JsonElement> permissions) =>
        permissions.ToDictionary(p => p.Key, p => JsonSerializer.Serialize(p.Value));
}
