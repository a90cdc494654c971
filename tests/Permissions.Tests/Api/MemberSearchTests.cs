using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary><c>GET /api/members?q=</c>: beginnings of words and of phone numbers, exact matches first, paged by cursor.</summary>
[Collection(nameof(PermissionCollection))]
public sealed class MemberSearchTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task A_search_matches_the_beginnings_of_the_words_of_usernames_and_not_their_middles()
    {
        var team = await Team.CreateAsync(_host);
        var amina = await team.MemberAsync(new { role = "staff" }, username: "Amina Wanjiru");
        var brian = await team.MemberAsync(new { role = "staff" }, username: "brian.okafor");
        var grace = await team.MemberAsync(new { role = "staff" }, username: "grace_mensah-banda");

        Assert.Equal([amina], await IdsAsync(team, "?q=wan"));
        Assert.Equal([amina], await IdsAsync(team, "?q=AMI"));
        Assert.Equal([brian], await IdsAsync(team, "?q=okaf"));
        Assert.Equal([grace], await IdsAsync(team, "?q=mens"));
        Assert.Equal([grace], await IdsAsync(team, "?q=banda"));
        Assert.Empty(await IdsAsync(team, "?q=ina"));
        Assert.Empty(await IdsAsync(team, "?q=rian"));
        Assert.Empty(await IdsAsync(team, "?q=njiru"));
    }

    [Fact]
    public async Task Every_term_of_a_search_must_begin_a_word_of_the_username()
    {
        var team = await Team.CreateAsync(_host);
        var wanjiru = await team.MemberAsync(new { role = "staff" }, username: "Amina Wanjiru");
        var okafor = await team.MemberAsync(new { role = "staff" }, username: "amina okafor");
        await team.MemberAsync(new { role = "staff" }, username: "Brian Wanjiru");

        Assert.Equal([wanjiru], await IdsAsync(team, "?q=amina%20wan"));
        Assert.Equal([wanjiru], await IdsAsync(team, "?q=wan%20%20ami"));
        Assert.Equal([okafor], await IdsAsync(team, "?q=amina.oka"));
        Assert.Equal([okafor, wanjiru], await IdsAsync(team, "?q=amina"));
        Assert.Empty(await IdsAsync(team, "?q=amina%20brian"));
    }

    [Fact]
    public async Task Accents_and_case_do_not_matter()
    {
        var team = await Team.CreateAsync(_host);
        var amina = await team.MemberAsync(new { role = "staff" }, username: "Åmina Núñez");

        Assert.Equal([amina], await IdsAsync(team, "?q=amina"));
        Assert.Equal([amina], await IdsAsync(team, "?q=NUNEZ"));
        Assert.Equal([amina], await IdsAsync(team, $"?q={Uri.EscapeDataString("åmi núñ")}"));
    }

    [Fact]
    public async Task A_phone_is_found_by_the_beginning_of_any_form_people_write_it_in()
    {
        var team = await Team.CreateAsync(_host);
        // Test phones are +25471…; these two are not, so the organisation's creator never matches.
        var wanted = await team.MemberAsync(new { role = "staff" }, phone: "+254722555123", username: "wanted");
        await team.MemberAsync(new { role = "staff" }, phone: "+254733722555", username: "other");

        foreach (var form in new[] { "0722", "722", "+254722", "254722", "0722 555-12", "+254 722 555 123" })
        {
            Assert.Equal([wanted], await IdsAsync(team, $"?q={Uri.EscapeDataString(form)}"));
        }

        Assert.Empty(await IdsAsync(team, "?q=555123"));
        Assert.Empty(await IdsAsync(team, "?q=0722555124"));
    }

    [Fact]
    public async Task Exact_matches_come_first_then_members_by_username()
    {
        var team = await Team.CreateAsync(_host);
        var aminataB = await team.MemberAsync(new { role = "staff" }, username: "aminata b");
        var aminaB = await team.MemberAsync(new { role = "staff" }, username: "amina b");
        var exact = await team.MemberAsync(new { role = "staff" }, username: "Amina");
        var aminaA = await team.MemberAsync(new { role = "staff" }, username: "Amina A");
        var exactToo = await team.MemberAsync(new { role = "staff" }, username: "ÀMINA");

        var found = await IdsAsync(team, "?q=amina");

        Assert.Equal([.. new[] { exact, exactToo }.Order(new PostgresUuidOrder()), aminaA, aminaB, aminataB], found);
        // "a" begins a word of every one of them; "Amina A" is the exact match.
        var withA = await IdsAsync(team, "?q=amina%20a");
        Assert.Equal([aminaA, .. new[] { exact, exactToo }.Order(new PostgresUuidOrder()), aminaB, aminataB], withA);
        // The same order page by page, by number and by cursor.
        Guid[] byNumber =
            [.. await IdsAsync(team, "?q=amina&pageSize=2"), .. await IdsAsync(team, "?q=amina&pageSize=2&page=2"), .. await IdsAsync(team, "?q=amina&pageSize=2&page=3")];
        Assert.Equal(found, byNumber);
        Assert.Equal(found, await WalkAsync(team, "?q=amina&pageSize=1"));
    }

    [Fact]
    public async Task Cursor_pages_neither_repeat_nor_skip_members_when_others_join_between_them()
    {
        var team = await Team.CreateAsync(_host);
        var before = new List<Guid>();
        for (var i = 1; i <= 6; i++)
        {
            before.Add(await team.MemberAsync(new { role = "staff" }, username: $"pager m{i}"));
        }

        var first = await (await team.Admin.GetAsync("/api/members?q=pager&pageSize=3")).Json();
        Assert.Equal(before[..3], Ids(first));
        // One joins before the cursor's place in the order, one after it, between the two pages.
        await team.MemberAsync(new { role = "staff" }, username: "pager a");
        var late = await team.MemberAsync(new { role = "staff" }, username: "pager z");
        var second = await (await team.Admin.GetAsync($"/api/members?q=pager&pageSize=3&after={first.GetProperty("after").GetString()}")).Json();
        var third = await (await team.Admin.GetAsync($"/api/members?q=pager&pageSize=3&after={second.GetProperty("after").GetString()}")).Json();

        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(before[3..], Ids(second));
        Assert.Equal([late], Ids(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("after").ValueKind);
        Assert.Equal(8, third.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Without_a_search_cursor_pages_follow_the_join_date_and_keep_the_filters()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var staff = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            await _host.AdvanceAsync(TimeSpan.FromSeconds(1));
            staff.Add(await team.MemberAsync(new { role = "staff" }));
            await _host.AdvanceAsync(TimeSpan.FromSeconds(1));
            await team.MemberAsync(new { role = "manager" });
        }

        var first = await (await team.Admin.GetAsync("/api/members?role=staff&pageSize=2")).Json();
        await _host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var joined = await team.MemberAsync(new { role = "staff" });
        var second = await (await team.Admin.GetAsync($"/api/members?role=staff&pageSize=2&after={first.GetProperty("after").GetString()}")).Json();

        Assert.Equal(staff[..2], Ids(first));
        Assert.Equal([staff[2], joined], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("after").ValueKind);
        Assert.False(second.GetProperty("totalIsLowerBound").GetBoolean());
        Assert.Equal(4, second.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Past_a_thousand_matches_the_total_is_a_lower_bound_and_pages_go_on_by_cursor_only()
    {
        var team = await Team.CreateAsync(_host);
        var volunteers = await AddVolunteersAsync(team, 1_001);

        var first = await (await team.Admin.GetAsync("/api/members?q=volunteer&pageSize=200")).Json();
        Assert.Equal((1_000, true), (first.GetProperty("total").GetInt32(), first.GetProperty("totalIsLowerBound").GetBoolean()));
        var one = await (await team.Admin.GetAsync("/api/members?q=volunteer%200999")).Json();
        Assert.Equal((1, false), (one.GetProperty("total").GetInt32(), one.GetProperty("totalIsLowerBound").GetBoolean()));

        // Pages by number reach the 1,000th match; past it, after does.
        var lastNumbered = await (await team.Admin.GetAsync("/api/members?q=volunteer&pageSize=50&page=20")).Json();
        Assert.Equal(50, lastNumbered.GetProperty("items").GetArrayLength());
        var refused = await team.Admin.GetAsync("/api/members?q=volunteer&pageSize=50&page=21");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Json();
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Contains("after", problem.GetProperty("detail").GetString());
        var past = await (await team.Admin.GetAsync($"/api/members?q=volunteer&pageSize=50&after={lastNumbered.GetProperty("after").GetString()}")).Json();
        Assert.Equal(21, past.GetProperty("page").GetInt32());
        Assert.Equal([volunteers[^1]], Ids(past));

        Assert.Equal(volunteers, await WalkAsync(team, "?q=volunteer&pageSize=200"));
        // Without a search, page numbers go as far as the list does.
        var byNumber = await (await team.Admin.GetAsync("/api/members?pageSize=50&page=21")).Json();
        Assert.Equal((2, 1_002, false), (byNumber.GetProperty("items").GetArrayLength(), byNumber.GetProperty("total").GetInt32(), byNumber.GetProperty("totalIsLowerBound").GetBoolean()));
    }

    [Fact]
    public async Task A_cursor_that_this_list_did_not_give_is_refused()
    {
        var team = await Team.CreateAsync(_host);
        await team.MemberAsync(new { role = "staff" }, username: "cursor one");
        await team.MemberAsync(new { role = "staff" }, username: "cursor two");
        var searchCursor = (await (await team.Admin.GetAsync("/api/members?q=cursor&pageSize=1")).Json()).GetProperty("after").GetString();
        var listCursor = (await (await team.Admin.GetAsync("/api/members?pageSize=1")).Json()).GetProperty("after").GetString();

        foreach (var query in new[]
                 {
                     "?after=not-a-cursor", "?q=cursor&after=AAAA", $"?after={searchCursor}", $"?q=cursor&after={listCursor}",
                     $"?q=cursor&page=2&after={searchCursor}",
                 })
        {
            Assert.Equal("validation_failed", await (await team.Admin.GetAsync($"/api/members{query}")).Problem(HttpStatusCode.BadRequest));
        }

        Assert.Single(await IdsAsync(team, $"?q=cursor&pageSize=1&after={searchCursor}"));
        Assert.Single(await IdsAsync(team, $"?pageSize=1&after={listCursor}"));
    }

    [Fact]
    public async Task A_changed_profile_is_found_by_its_new_name_and_number_only()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" }, phone: "+254722555123", username: "Amina Wanjiru");

        await _host.Bus.Publish(new MemberProfileChanged(team.OrgId, member, "Grace Okafor", "+254733555123", _host.Time.GetUtcNow().AddSeconds(1)));
        await Eventually.Until(() => IdsAsync(team, "?q=grace"), ids => ids.Length == 1, what: "the new name found");

        Assert.Equal([member], await IdsAsync(team, "?q=okafor"));
        Assert.Equal([member], await IdsAsync(team, "?q=0733"));
        Assert.Empty(await IdsAsync(team, "?q=wanjiru"));
        Assert.Empty(await IdsAsync(team, "?q=0722"));
    }

    [Fact]
    public async Task A_search_keeps_the_status_filter_as_members_are_blocked_and_removed()
    {
        var team = await Team.CreateAsync(_host);
        var blocked = await team.MemberAsync(new { role = "staff" }, username: "status blocked");
        var removed = await team.MemberAsync(new { role = "staff" }, username: "status removed");
        var active = await team.MemberAsync(new { role = "staff" }, username: "status active");

        await team.Admin.PutAsJsonAsync($"/api/members/{blocked}/access", new { role = "none" });
        await team.Admin.DeleteAsync($"/api/members/{removed}");

        Assert.Equal([active, blocked], await IdsAsync(team, "?q=status"));
        Assert.Equal(2, (await (await team.Admin.GetAsync("/api/members?q=status&pageSize=1")).Json()).GetProperty("total").GetInt32());
        Assert.Equal([blocked], await IdsAsync(team, "?q=status&status=blocked"));
        Assert.Equal([removed], await IdsAsync(team, "?q=status&status=removed"));
        Assert.Equal([active], await IdsAsync(team, "?q=status&role=staff"));
    }

    [Fact]
    public async Task A_search_with_a_group_filter_pages_and_counts_only_the_members_of_the_group()
    {
        var team = await Team.CreateAsync(_host);
        var youth = await team.GroupAsync("Youth");
        var inGroup = new List<Guid>();
        foreach (var name in new[] { "filter d", "filter b", "filter a", "filter e", "filter c" })
        {
            var groupIds = name is "filter d" or "filter a" or "filter c" ? new[] { youth } : [];
            var member = await team.MemberAsync(new { role = "staff", groupIds }, username: name);
            if (groupIds.Length > 0)
            {
                inGroup.Add(member);
            }
        }

        // "filter a", "filter c", "filter d": the members outside the group would take places on the first page if the
        // page were cut before the filter.
        Guid[] expected = [inGroup[1], inGroup[2], inGroup[0]];
        var first = await (await team.Admin.GetAsync($"/api/members?q=filter&groupId={youth}&pageSize=2")).Json();
        Assert.Equal(expected[..2], Ids(first));
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal(expected[2..], await IdsAsync(team, $"?q=filter&groupId={youth}&pageSize=2&page=2"));
        Assert.Equal(expected, await WalkAsync(team, $"?q=filter&groupId={youth}&pageSize=1"));
    }

    private static Guid[] Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToArray();

    private static async Task<Guid[]> IdsAsync(Team team, string query)
    {
        var response = await team.Admin.GetAsync($"/api/members{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Ids(await response.Json());
    }

    /// <summary>Every page, following <c>after</c> from the first.</summary>
    private static async Task<List<Guid>> WalkAsync(Team team, string query)
    {
        var ids = new List<Guid>();
        var page = await (await team.Admin.GetAsync($"/api/members{query}")).Json();
        ids.AddRange(Ids(page));
        while (page.GetProperty("after").GetString() is { } after)
        {
            page = await (await team.Admin.GetAsync($"/api/members{query}&after={after}")).Json();
            ids.AddRange(Ids(page));
        }

        return ids;
    }

    /// <summary>Members written straight through the service's model (registering a thousand one by one is slow), in username order.</summary>
    private async Task<List<Guid>> AddVolunteersAsync(Team team, int count)
    {
        var now = _host.Time.GetUtcNow();
        return await _host.InDatabase(async db =>
        {
            var members = Enumerable.Range(0, count)
                .Select(i => Member.Create(
                    team.OrgId,
                    new MemberRegistration(Guid.NewGuid(), $"Volunteer {i:D4}", $"+25473{i:D7}", RegistrationRoutes.Invitation),
                    MemberStatus.Active,
                    Access.Staff(null),
                    autoPromoted: false,
                    revision: 1,
                    now))
                .ToList();
            db.Members.AddRange(members);
            await db.SaveChangesAsync();
            return members.Select(m => m.Id).ToList();
        });
    }

    /// <summary>PostgreSQL orders uuids by their bytes as written, which is not <see cref="Guid"/>'s own order.</summary>
    private sealed class PostgresUuidOrder : IComparer<Guid>
    {
        public int Compare(Guid x, Guid y) => string.CompareOrdinal(x.ToString("N"), y.ToString("N"));
    }
}
