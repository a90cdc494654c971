using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>
/// Group admins (docs/permissions.md#group-admins): appointed by admins, they list, approve, invite and change grants
/// within their groups, up to what they hold there, and read the audit of their groups; nothing outside.
/// </summary>
[Collection(nameof(PermissionCollection))]
public sealed class GroupAdminTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    /// <summary>An organisation with a youth and an adults group, and the youth group's admin (staff of youth).</summary>
    private async Task<(Team Team, Guid Youth, Guid Adults, Guid GroupAdmin)> YouthAsync()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var youth = await team.GroupAsync("youth");
        var adults = await team.GroupAsync("adults");
        var groupAdmin = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth } });
        var appointed = await team.Admin.PutAsJsonAsync(
            $"/api/members/{groupAdmin}/access", new { role = "staff", groupIds = new[] { youth }, groupAdminOf = new[] { youth } });
        Assert.Equal(HttpStatusCode.OK, appointed.StatusCode);
        return (team, youth, adults, groupAdmin);
    }

    private static Guid Pending(JsonElement registered) => registered.GetProperty("memberId").GetGuid();

    [Fact]
    public async Task Only_admins_appoint_group_admins_and_the_access_document_shows_it()
    {
        var (team, youth, _, groupAdmin) = await YouthAsync();
        var teamManager = await team.MemberAsync(new { role = "custom", permissions = new { admin_settings = true, message_inbox = new { scope = "all" } } });
        var member = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth } });

        var view = await team.MemberViewAsync(groupAdmin);
        Assert.Equal([youth], view.GetProperty("access").GetProperty("groupAdminOf").EnumerateArray().Select(g => g.GetGuid()));
        var appointed = await _host.Bus.WaitFor<MemberAccessChanged>(e => e.MemberId == groupAdmin && e.GroupAdminOf is { Count: 1 });
        Assert.Equal([youth], appointed.GroupAdminOf!);
        using var identity = _host.InternalClient("identity");
        var effective = await (await identity.GetAsync($"/internal/orgs/{team.OrgId}/members/{groupAdmin}/effective-permissions")).Json();
        Assert.Equal(youth, effective.GetProperty("groupAdminOf")[0].GetGuid());
        var byTeamManager = await team.As(teamManager).PutAsJsonAsync(
            $"/api/members/{member}/access", new { role = "staff", groupIds = new[] { youth }, groupAdminOf = new[] { youth } });
        Assert.Equal("escalation", await byTeamManager.Problem(HttpStatusCode.Forbidden));
        var byGroupAdmin = await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{member}/access", new { role = "staff", groupIds = new[] { youth }, groupAdminOf = new[] { youth } });
        Assert.Equal("escalation", await byGroupAdmin.Problem(HttpStatusCode.Forbidden));

        // A change of role that leaves groupAdminOf out keeps it; [] ends it.
        var kept = await team.Admin.PutAsJsonAsync($"/api/members/{groupAdmin}/access", new { role = "manager" });
        Assert.Equal([youth], (await kept.Json()).GetProperty("member").GetProperty("access").GetProperty("groupAdminOf").EnumerateArray().Select(g => g.GetGuid()));
        var ended = await team.Admin.PutAsJsonAsync($"/api/members/{groupAdmin}/access", new { role = "staff", groupIds = new[] { youth }, groupAdminOf = Array.Empty<Guid>() });
        Assert.False((await ended.Json()).GetProperty("member").GetProperty("access").TryGetProperty("groupAdminOf", out _));
        Assert.Equal("forbidden", await (await team.As(groupAdmin).GetAsync("/api/members")).Problem(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_group_admin_lists_the_members_of_their_groups_and_every_pending_member_and_nobody_else()
    {
        var (team, youth, adults, groupAdmin) = await YouthAsync();
        var inYouth = await team.MemberAsync(new { role = "custom", permissions = new { broadcasts = new { scope = "groups", groupIds = new[] { youth, adults } } } });
        var inAdults = await team.MemberAsync(new { role = "staff", groupIds = new[] { adults } });
        var everywhere = await team.MemberAsync(new { role = "staff" });
        var pending = Pending(await team.RegisterAsync());

        var listed = (await (await team.As(groupAdmin).GetAsync("/api/members?pageSize=200")).Json());

        var ids = listed.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToHashSet();
        Assert.Equal(new HashSet<Guid> { groupAdmin, inYouth, pending }, ids);
        Assert.Equal(3, listed.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await team.As(groupAdmin).GetAsync($"/api/members/{inAdults}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await team.As(groupAdmin).GetAsync($"/api/members/{everywhere}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await team.As(groupAdmin).GetAsync($"/api/members/{inYouth}")).StatusCode);
        Assert.Equal("forbidden", await (await team.As(groupAdmin).GetAsync("/api/members/summary")).Problem(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_group_admin_approves_within_their_group_up_to_what_they_hold_there()
    {
        var (team, youth, adults, groupAdmin) = await YouthAsync();
        var pending = Pending(await team.RegisterAsync());
        var other = Pending(await team.RegisterAsync());

        Assert.Equal("escalation", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{pending}/access/groups/{youth}", new { permissions = new[] { "broadcasts" } })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{pending}/access/groups/{adults}", new { permissions = new[] { "message_inbox" } })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{other}/access", new { role = "custom" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{other}/access", new { role = "none" })).Problem(HttpStatusCode.Forbidden));

        var approved = await team.As(groupAdmin).PutAsJsonAsync($"/api/members/{pending}/access/groups/{youth}", new { permissions = new[] { "message_inbox" } });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var member = (await approved.Json()).GetProperty("member");
        Assert.Equal(("active", "staff"), (member.GetProperty("status").GetString(), member.GetProperty("role").GetString()));
        Assert.Equal([youth], member.GetProperty("groupIds").EnumerateArray().Select(g => g.GetGuid()));
        var changed = await _host.Bus.WaitFor<MemberAccessChanged>(e => e.MemberId == pending);
        Assert.Equal(("active", (Guid?)groupAdmin), (changed.Status, changed.ChangedBy));
        // The whole document works too, when it touches nothing outside the group.
        var whole = await team.As(groupAdmin).PutAsJsonAsync($"/api/members/{other}/access", new { role = "staff", groupIds = new[] { youth } });
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
    }

    [Fact]
    public async Task A_group_admins_change_is_merged_and_never_touches_anything_outside_their_groups()
    {
        var (team, youth, adults, groupAdmin) = await YouthAsync();
        var member = await team.MemberAsync(new
        {
            role = "custom",
            permissions = new { message_inbox = new { scope = "groups", groupIds = new[] { youth, adults } }, keywords = "view" },
        });
        var broadcaster = await team.MemberAsync(new
        {
            role = "custom",
            permissions = new { message_inbox = new { scope = "groups", groupIds = new[] { youth } }, broadcasts = new { scope = "all" } },
        });
        var manager = await team.MemberAsync(new { role = "manager" });

        Assert.Equal("escalation", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{member}/access/groups/{adults}", new { permissions = Array.Empty<string>() })).Problem(HttpStatusCode.Forbidden));

        var response = await team.As(groupAdmin).PutAsJsonAsync($"/api/members/{member}/access/groups/{youth}", new { permissions = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var permissions = (await response.Json()).GetProperty("member").GetProperty("access").GetProperty("permissions");
        Assert.Equal([adults], permissions.GetProperty("message_inbox").GetProperty("groupIds").EnumerateArray().Select(g => g.GetGuid()));
        Assert.Equal("view", permissions.GetProperty("keywords").GetString());
        Assert.Equal("validation_failed", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{broadcaster}/access/groups/{youth}", new { permissions = Array.Empty<string>() })).Problem(HttpStatusCode.BadRequest));
        var youthAdmin = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth }, isAdmin = true });
        Assert.Equal("escalation", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{youthAdmin}/access/groups/{youth}", new { permissions = Array.Empty<string>() })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("validation_failed", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{broadcaster}/access/groups/{youth}", new { permissions = new[] { "measure" } })).Problem(HttpStatusCode.BadRequest));
        // Once the member holds nothing on the group, they are outside the group admin's reach.
        Assert.Equal("not_found", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{member}/access/groups/{youth}", new { permissions = new[] { "message_inbox" } })).Problem(HttpStatusCode.NotFound));
        // Outside the group admin's own list, the member is not there for them.
        Assert.Equal("not_found", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{manager}/access/groups/{youth}", new { permissions = new[] { "message_inbox" } })).Problem(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await (await team.As(groupAdmin).PutAsJsonAsync(
            $"/api/members/{manager}/access", new { role = "manager" })).Problem(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task The_preview_of_a_group_change_shows_what_it_gives_and_saves_nothing()
    {
        var (team, youth, _, groupAdmin) = await YouthAsync();
        var pending = Pending(await team.RegisterAsync());

        var preview = await (await team.As(groupAdmin).PostAsJsonAsync(
            $"/api/members/{pending}/access/groups/{youth}/preview", new { permissions = new[] { "message_inbox" } })).Json();

        Assert.Equal(JsonValueKind.Null, preview.GetProperty("refusal").ValueKind);
        var gains = preview.GetProperty("gains").EnumerateArray().Select(g => (g.GetProperty("change").GetString(), g.TryGetProperty("groupName", out var name) ? name.GetString() : null)).ToList();
        Assert.Equal([("status", null), ("permission", "youth")], gains);
        Assert.Equal("pending_approval", (await team.MemberViewAsync(pending)).GetProperty("status").GetString());
        var refused = await (await team.As(groupAdmin).PostAsJsonAsync(
            $"/api/members/{pending}/access/groups/{youth}/preview", new { permissions = new[] { "broadcasts" } })).Json();
        Assert.Equal("escalation", refused.GetProperty("refusal").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_group_admin_invites_only_with_access_on_their_groups()
    {
        var (team, youth, adults, groupAdmin) = await YouthAsync();
        using var invitations = _host.InternalClient("invitation");
        Task<HttpResponseMessage> Check(object access) =>
            invitations.PostAsJsonAsync($"/internal/orgs/{team.OrgId}/invitation-checks", new { actorId = groupAdmin, phone = TestPhones.New(), access });

        Assert.Equal(HttpStatusCode.OK, (await Check(new { role = "staff", groupIds = new[] { youth } })).StatusCode);
        Assert.Equal("escalation", await (await Check(new { role = "staff", groupIds = new[] { adults } })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await Check(new { role = "staff" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await Check(new { role = "manager" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await Check(new { role = "staff", groupIds = new[] { youth }, groupAdminOf = new[] { youth } })).Problem(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_group_admin_reads_the_audit_entries_that_touch_their_groups()
    {
        var (team, youth, adults, groupAdmin) = await YouthAsync();
        var inYouth = await team.MemberAsync(new { role = "staff", groupIds = new[] { adults } });
        var inAdults = await team.MemberAsync(new { role = "staff", groupIds = new[] { adults } });
        await team.Admin.PutAsJsonAsync($"/api/members/{inYouth}/access", new { role = "staff", groupIds = new[] { youth, adults } });
        await team.Admin.PutAsJsonAsync($"/api/members/{inAdults}/access", new { role = "manager" });

        var audit = await (await team.As(groupAdmin).GetAsync("/api/audit?pageSize=200")).Json();

        var members = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("memberId").GetGuid()).ToList();
        Assert.Contains(inYouth, members);
        Assert.Contains(groupAdmin, members);
        Assert.DoesNotContain(inAdults, members);
        Assert.Equal("forbidden", await (await team.As(inYouth).GetAsync("/api/audit")).Problem(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Approvals_racing_the_end_of_group_admin_are_each_made_before_it_or_refused_after_it()
    {
        var (team, youth, _, groupAdmin) = await YouthAsync();
        var pending = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            pending.Add(Pending(await team.RegisterAsync()));
        }

        using var start = new SemaphoreSlim(0);
        var groupAdminClient = team.As(groupAdmin);
        var approvals = pending.Select(async id =>
        {
            await start.WaitAsync();
            return await groupAdminClient.PutAsJsonAsync($"/api/members/{id}/access/groups/{youth}", new { permissions = new[] { "message_inbox" } });
        }).ToList();
        var demotion = Task.Run(async () =>
        {
            await start.WaitAsync();
            return await team.Admin.PutAsJsonAsync($"/api/members/{groupAdmin}/access", new { role = "staff", groupIds = new[] { youth }, groupAdminOf = Array.Empty<Guid>() });
        });
        start.Release(11);
        var answers = await Task.WhenAll(approvals);
        var demoted = await demotion;

        Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        var demotedAt = (await demoted.Json()).GetProperty("revision").GetInt64();
        foreach (var answer in answers)
        {
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                Assert.True((await answer.Json()).GetProperty("revision").GetInt64() < demotedAt);
            }
            else
            {
                Assert.Equal("forbidden", await answer.Problem(HttpStatusCode.Forbidden));
            }
        }

        var active = 0;
        foreach (var id in pending)
        {
            active += (await team.MemberViewAsync(id)).GetProperty("status").GetString() == "active" ? 1 : 0;
        }

        Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.OK), active);
    }
}
