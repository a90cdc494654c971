using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

[Collection(nameof(PermissionCollection))]
public sealed class MemberListTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task The_team_list_filters_by_status_role_group_and_search()
    {
        // Members are listed in the order they joined.
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var youth = await team.GroupAsync();
        await _host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var pending = (await team.RegisterAsync(phone: "+254711555123")).GetProperty("memberId").GetGuid();
        await _host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var staff = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth } });
        await _host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var manager = await team.MemberAsync(new { role = "manager" });
        var removed = await team.MemberAsync(new { role = "manager" });
        await team.Admin.DeleteAsync($"/api/members/{removed}");
        var managerName = (await team.MemberViewAsync(manager)).GetProperty("username").GetString()!;

        async Task<Guid[]> Ids(string query) =>
            (await (await team.Admin.GetAsync($"/api/members{query}")).Json()).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToArray();

        Assert.Equal([team.AdminId, pending, staff, manager], await Ids(""));
        Assert.Equal(4, (await (await team.Admin.GetAsync("/api/members")).Json()).GetProperty("total").GetInt32());
        Assert.Equal(1, (await (await team.Admin.GetAsync("/api/members?status=removed")).Json()).GetProperty("total").GetInt32());
        Assert.Equal(1, (await (await team.Admin.GetAsync("/api/members?role=manager")).Json()).GetProperty("total").GetInt32());
        Assert.Equal([pending], await Ids("?status=pending_approval"));
        Assert.Equal([removed], await Ids("?status=removed"));
        Assert.Equal([manager], await Ids("?role=manager"));
        Assert.Equal([team.AdminId], await Ids("?role=admin"));
        Assert.Equal([staff], await Ids($"?groupId={youth}"));
        // Beginnings of the username's words find a member; the middle of a word does not.
        Assert.Equal([manager], await Ids($"?q={managerName[..12].ToUpperInvariant()}"));
        Assert.Empty(await Ids($"?q={managerName[4..12]}"));
        Assert.Equal([pending], await Ids("?q=711 555 12"));
        Assert.Empty(await Ids("?q=%25"));
    }

    [Fact]
    public async Task Lists_answer_items_total_page_and_page_size()
    {
        var team = await Team.CreateAsync(_host);
        for (var i = 0; i < 4; i++)
        {
            await team.MemberAsync(new { role = "staff" });
        }

        var page = await (await team.Admin.GetAsync("/api/members?page=2&pageSize=2")).Json();
        var beyond = await (await team.Admin.GetAsync("/api/members?page=9&pageSize=2")).Json();

        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(0, beyond.GetProperty("items").GetArrayLength());
        Assert.Equal(5, beyond.GetProperty("total").GetInt32());
        // A last page that is not full tells the total; so does an empty first page of a search.
        var last = await (await team.Admin.GetAsync("/api/members?page=3&pageSize=2")).Json();
        Assert.Equal((1, 5), (last.GetProperty("items").GetArrayLength(), last.GetProperty("total").GetInt32()));
        var staffOnly = await (await team.Admin.GetAsync("/api/members?role=staff&page=2&pageSize=3")).Json();
        Assert.Equal((1, 4), (staffOnly.GetProperty("items").GetArrayLength(), staffOnly.GetProperty("total").GetInt32()));
        var nobody = await (await team.Admin.GetAsync("/api/members?q=nobody-by-this-name")).Json();
        Assert.Equal((0, 0), (nobody.GetProperty("items").GetArrayLength(), nobody.GetProperty("total").GetInt32()));
        var member = page.GetProperty("items")[0];
        Assert.Equal(
            ["id", "username", "phone", "status", "role", "isAdmin", "groupIds", "createdAt", "access", "accessExpiresAt"],
            member.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_summary_counts_members_by_status()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        await team.RegisterAsync();
        await team.RegisterAsync();
        var blocked = await team.MemberAsync(new { role = "staff" });
        await team.Admin.PutAsJsonAsync($"/api/members/{blocked}/access", new { role = "none" });

        var summary = await (await team.Admin.GetAsync("/api/members/summary")).Json();

        Assert.Equal(2, summary.GetProperty("pendingApproval").GetInt32());
        Assert.Equal(1, summary.GetProperty("active").GetInt32());
        Assert.Equal(1, summary.GetProperty("blocked").GetInt32());
        Assert.Equal(0, summary.GetProperty("removed").GetInt32());
        Assert.Equal(1, summary.GetProperty("admins").GetInt32());
    }

    [Fact]
    public async Task Roles_describe_what_each_preset_grants()
    {
        var team = await Team.CreateAsync(_host);
        var staff = await team.MemberAsync(new { role = "staff" });

        var roles = await (await team.As(staff).GetAsync("/api/roles")).Json();

        var items = roles.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("role").GetString()!);
        Assert.Equal(["admin", "manager", "staff", "none", "custom"], items.Keys);
        Assert.False(items["manager"].GetProperty("permissions").GetProperty("admin_settings").GetBoolean());
        Assert.True(items["admin"].GetProperty("permissions").GetProperty("admin_settings").GetBoolean());
        Assert.Equal("all", items["staff"].GetProperty("permissions").GetProperty("message_inbox").GetProperty("scope").GetString());
        Assert.Equal("off", items["staff"].GetProperty("permissions").GetProperty("people").GetProperty("scope").GetString());
        Assert.All(items.Values, r => Assert.Equal(13, r.GetProperty("permissions").EnumerateObject().Count()));
    }

    [Fact]
    public async Task Another_organisations_member_ids_are_not_found_on_every_member_route()
    {
        var ours = await Team.CreateAsync(_host);
        var theirs = await Team.CreateAsync(_host);
        var stranger = await theirs.MemberAsync(new { role = "staff" });
        var theirGroup = await theirs.GroupAsync();
        var admin = ours.Admin;

        Assert.Equal("not_found", await (await admin.GetAsync($"/api/members/{stranger}")).Problem(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await (await admin.GetAsync($"/api/members/{stranger}/effective-permissions")).Problem(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await (await admin.PutAsJsonAsync($"/api/members/{stranger}/access", new { role = "none" })).Problem(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await (await admin.DeleteAsync($"/api/members/{stranger}")).Problem(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await (await admin.DeleteAsync($"/api/groups/{theirGroup}")).Problem(HttpStatusCode.NotFound));
        Assert.Equal("validation_failed", await (await admin.PutAsJsonAsync("/api/conversations/c-1/visibility", new { denyMemberIds = new[] { stranger } })).Problem(HttpStatusCode.BadRequest));
        Assert.DoesNotContain(stranger, (await (await admin.GetAsync("/api/members?pageSize=200")).Json()).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()));
        Assert.Empty((await (await admin.GetAsync($"/api/audit?memberId={stranger}")).Json()).GetProperty("items").EnumerateArray());
        Assert.Equal("staff", (await theirs.MemberViewAsync(stranger)).GetProperty("role").GetString());
        Assert.Equal("active", (await theirs.MemberViewAsync(stranger)).GetProperty("status").GetString());
    }
}
