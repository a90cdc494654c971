using System.Net;
using System.Net.Http.Json;
using TeamPlatform.Contracts.V1;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

[Collection(nameof(PermissionCollection))]
public sealed class GroupTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task Groups_are_listed_by_name_and_names_are_unique_in_any_case()
    {
        var team = await Team.CreateAsync(_host);
        await team.GroupAsync("Youth");
        await team.GroupAsync("choir");
        var staff = await team.MemberAsync(new { role = "staff" });

        var duplicate = await team.Admin.PostAsJsonAsync("/api/groups", new { name = " YOUTH " });
        var empty = await team.Admin.PostAsJsonAsync("/api/groups", new { name = "  " });
        var list = await (await team.As(staff).GetAsync("/api/groups")).Json();

        Assert.Equal("conflict", await duplicate.Problem(HttpStatusCode.Conflict));
        Assert.Equal("validation_failed", await empty.Problem(HttpStatusCode.BadRequest));
        Assert.Equal(["choir", "Youth"], list.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        Assert.Equal(50, list.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task A_picker_finds_groups_by_the_start_of_a_word_and_a_page_names_the_groups_it_holds()
    {
        var team = await Team.CreateAsync(_host);
        var nairobi = await team.GroupAsync("Youth Nairobi");
        var mombasa = await team.GroupAsync("Youth Mombasa");
        await team.GroupAsync("Choir");
        await team.GroupAsync("Ushers 100%");

        async Task<string[]> NamesAsync(string query) =>
            (await (await team.Admin.GetAsync($"/api/groups?{query}")).Json()).GetProperty("items").EnumerateArray()
                .Select(g => g.GetProperty("name").GetString()!).ToArray();

        Assert.Equal(["Youth Mombasa", "Youth Nairobi"], await NamesAsync("q=you"));
        Assert.Equal(["Youth Nairobi"], await NamesAsync("q=NAI"));
        Assert.Empty(await NamesAsync("q=outh"));
        Assert.Empty(await NamesAsync("q=%25"));
        Assert.Equal(["Ushers 100%"], await NamesAsync("q=100%25"));
        Assert.Equal(["Youth Mombasa", "Youth Nairobi"], await NamesAsync($"ids={nairobi}&ids={mombasa}&ids={Guid.NewGuid()}"));
        var tooMany = string.Join('&', Enumerable.Range(0, 101).Select(_ => $"ids={Guid.NewGuid()}"));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync($"/api/groups?{tooMany}")).Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_group_is_renamed_without_changing_anyones_access_and_never_onto_another_groups_name()
    {
        var team = await Team.CreateAsync(_host);
        var youth = await team.GroupAsync("Youth");
        await team.GroupAsync("Choir");
        var staff = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth } });
        var other = await Team.CreateAsync(_host);

        var renamed = await team.Admin.PatchAsJsonAsync($"/api/groups/{youth}", new { name = " Youth Leaders " });
        var ownNameInOtherCase = await team.Admin.PatchAsJsonAsync($"/api/groups/{youth}", new { name = "YOUTH LEADERS" });
        var taken = await team.Admin.PatchAsJsonAsync($"/api/groups/{youth}", new { name = "choir" });
        var empty = await team.Admin.PatchAsJsonAsync($"/api/groups/{youth}", new { name = "" });
        var byStaff = await team.As(staff).PatchAsJsonAsync($"/api/groups/{youth}", new { name = "Mine" });
        var otherOrganisation = await other.Admin.PatchAsJsonAsync($"/api/groups/{youth}", new { name = "Theirs" });

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Youth Leaders", (await renamed.Json()).GetProperty("name").GetString());
        Assert.Equal("YOUTH LEADERS", (await ownNameInOtherCase.Json()).GetProperty("name").GetString());
        Assert.Equal("conflict", await taken.Problem(HttpStatusCode.Conflict));
        Assert.Equal("validation_failed", await empty.Problem(HttpStatusCode.BadRequest));
        Assert.Equal("forbidden", await byStaff.Problem(HttpStatusCode.Forbidden));
        Assert.Equal("not_found", await otherOrganisation.Problem(HttpStatusCode.NotFound));
        var list = await (await team.Admin.GetAsync("/api/groups")).Json();
        Assert.Equal(["Choir", "YOUTH LEADERS"], list.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal([youth], (await team.MemberViewAsync(staff)).GetProperty("groupIds").EnumerateArray().Select(g => g.GetGuid()));
        Assert.True((await team.As(staff).CheckAsync(new { permission = "message_inbox", groupIds = new[] { youth } })).GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task Deleting_a_group_strips_it_from_every_grant_in_a_new_revision()
    {
        var team = await Team.CreateAsync(_host);
        var youth = await team.GroupAsync("Youth");
        var leaders = await team.GroupAsync("Leaders");
        var both = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth, leaders } });
        var onlyYouth = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth } });
        var custom = await team.MemberAsync(new { role = "custom", permissions = new { broadcasts = new { scope = "groups", groupIds = new[] { youth } }, people = new { scope = "all" } } });
        var untouched = await team.MemberAsync(new { role = "manager" });
        Assert.True((await team.As(onlyYouth).CheckAsync(new { permission = "message_inbox", groupIds = new[] { youth } })).GetProperty("allowed").GetBoolean());

        var deleted = await (await team.Admin.DeleteAsync($"/api/groups/{youth}")).Json();
        var revision = deleted.GetProperty("revision").GetInt64();

        Assert.Equal([leaders], (await team.MemberViewAsync(both)).GetProperty("groupIds").EnumerateArray().Select(g => g.GetGuid()));
        var stripped = await team.MemberViewAsync(onlyYouth);
        Assert.Equal("custom", stripped.GetProperty("role").GetString());
        var inbox = await team.As(onlyYouth).CheckAsync(new { permission = "message_inbox", groupIds = new[] { youth }, minRevision = revision });
        Assert.Equal("not_granted", inbox.GetProperty("reason").GetString());
        Assert.Equal("not_granted", (await team.As(custom).CheckAsync(new { permission = "broadcasts", groupIds = new[] { youth } })).GetProperty("reason").GetString());
        Assert.Equal("granted", (await team.As(custom).CheckAsync(new { permission = "people", groupIds = new[] { youth } })).GetProperty("reason").GetString());
        Assert.Equal(revision, (await _host.Bus.WaitFor<GroupDeleted>(e => e.GroupId == youth)).Revision);

        var audit = await (await team.Admin.GetAsync("/api/audit?pageSize=200")).Json();
        var entries = audit.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("action").GetString() == "group_deleted").ToList();
        Assert.Equal(new[] { both, onlyYouth, custom }.Order(), entries.Select(e => e.GetProperty("memberId").GetGuid()).Order());
        Assert.All(entries, e => Assert.Equal(revision, e.GetProperty("revision").GetInt64()));
        Assert.DoesNotContain(entries, e => e.GetProperty("memberId").GetGuid() == untouched);
        Assert.Equal("not_found", await (await team.Admin.DeleteAsync($"/api/groups/{youth}")).Problem(HttpStatusCode.NotFound));
        Assert.Equal("validation_failed", await (await team.Admin.PutAsJsonAsync($"/api/members/{both}/access", new { role = "staff", groupIds = new[] { youth } })).Problem(HttpStatusCode.BadRequest));
    }
}
