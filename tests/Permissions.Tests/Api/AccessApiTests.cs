using System.Net;
using System.Net.Http.Json;
using TeamPlatform.Contracts.V1;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>Approval, roles, the admin toggle, blocking, removal, escalation and the audit trail through the public API.</summary>
[Collection(nameof(PermissionCollection))]
public sealed class AccessApiTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task Approving_a_pending_member_as_staff_with_a_group_makes_them_active()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var group = await team.GroupAsync("Youth");
        var pending = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();

        var response = await team.Admin.PutAsJsonAsync($"/api/members/{pending}/access", new { role = "staff", groupIds = new[] { group } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        var member = body.GetProperty("member");
        Assert.Equal("active", member.GetProperty("status").GetString());
        Assert.Equal("staff", member.GetProperty("role").GetString());
        Assert.Equal(group, member.GetProperty("groupIds")[0].GetGuid());
        Assert.Equal(3, body.GetProperty("revision").GetInt64());
        var changed = await _host.Bus.WaitFor<MemberAccessChanged>(e => e.MemberId == pending);
        Assert.Equal(("active", "pending_approval", "staff", 3L, (Guid?)team.AdminId), (changed.Status, changed.PreviousStatus, changed.Role, changed.Revision, changed.ChangedBy));
    }

    [Fact]
    public async Task Role_none_blocks_and_another_role_unblocks()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "manager" });

        var blocked = await (await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "none" })).Json();
        var check = await team.As(member).CheckAsync(new { permission = "measure" });
        var unblocked = await (await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager" })).Json();

        Assert.Equal("blocked", blocked.GetProperty("member").GetProperty("status").GetString());
        Assert.Equal("none", blocked.GetProperty("member").GetProperty("role").GetString());
        Assert.Equal("inactive", check.GetProperty("reason").GetString());
        Assert.Equal("active", unblocked.GetProperty("member").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_admin_toggle_keeps_the_underlying_set_which_comes_back_when_turned_off()
    {
        var team = await Team.CreateAsync(_host);
        var group = await team.GroupAsync();
        var member = await team.MemberAsync(new { role = "staff", groupIds = new[] { group } });

        var admin = (await (await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "admin" })).Json()).GetProperty("member");
        Assert.Equal("admin", admin.GetProperty("role").GetString());
        Assert.True(admin.GetProperty("isAdmin").GetBoolean());
        Assert.True((await team.As(member).CheckAsync(new { permission = "engage_settings" })).GetProperty("allowed").GetBoolean());

        // The client sends back the stored document with the toggle off.
        var stored = admin.GetProperty("access");
        Assert.Equal("staff", stored.GetProperty("role").GetString());
        var back = (await (await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new
        {
            role = stored.GetProperty("role").GetString(),
            isAdmin = false,
            groupIds = stored.GetProperty("groupIds").EnumerateArray().Select(g => g.GetGuid()).ToArray(),
        })).Json()).GetProperty("member");

        Assert.Equal("staff", back.GetProperty("role").GetString());
        Assert.Equal(group, back.GetProperty("groupIds")[0].GetGuid());
        Assert.False((await team.As(member).CheckAsync(new { permission = "engage_settings" })).GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task Effective_permissions_are_shown_to_the_member_and_to_team_managers_only()
    {
        var team = await Team.CreateAsync(_host);
        var manager = await team.MemberAsync(new { role = "manager" });
        var staff = await team.MemberAsync(new { role = "staff" });

        var own = await (await team.As(manager).GetAsync($"/api/members/{manager}/effective-permissions")).Json();
        var byAdmin = await (await team.Admin.GetAsync($"/api/members/{staff}/effective-permissions")).Json();
        var other = await team.As(manager).GetAsync($"/api/members/{staff}/effective-permissions");
        var adminOwn = await (await team.Admin.GetAsync($"/api/members/{team.AdminId}/effective-permissions")).Json();

        Assert.Equal(13, own.GetProperty("permissions").EnumerateObject().Count());
        Assert.Equal("create", own.GetProperty("permissions").GetProperty("surveys").GetString());
        Assert.False(own.GetProperty("permissions").GetProperty("admin_settings").GetBoolean());
        Assert.Equal("all", byAdmin.GetProperty("permissions").GetProperty("message_inbox").GetProperty("scope").GetString());
        Assert.Equal("forbidden", await other.Problem(HttpStatusCode.Forbidden));
        Assert.True(adminOwn.GetProperty("permissions").GetProperty("admin_settings").GetBoolean());
        Assert.Equal(adminOwn.GetProperty("revision").GetInt64(), own.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task A_non_admin_team_lead_cannot_escalate()
    {
        var team = await Team.CreateAsync(_host);
        var lead = await team.MemberAsync(new { role = "custom", permissions = new Dictionary<string, object> { ["admin_settings"] = true, ["message_inbox"] = new { scope = "all" }, ["keywords"] = "view" } });
        var staff = await team.MemberAsync(new { role = "staff" });
        var asLead = team.As(lead);
        Task<HttpResponseMessage> Put(Guid member, object access) => asLead.PutAsJsonAsync($"/api/members/{member}/access", access);

        Assert.Equal("escalation", await (await Put(staff, new { role = "manager" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await Put(staff, new { role = "admin" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await Put(staff, new { role = "staff", isAdmin = true })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await Put(staff, new { role = "custom", permissions = new { keywords = "create" } })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await Put(team.AdminId, new { role = "admin" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await asLead.DeleteAsync($"/api/members/{team.AdminId}")).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("staff", (await team.MemberViewAsync(staff)).GetProperty("role").GetString());
        Assert.True((await team.MemberViewAsync(team.AdminId)).GetProperty("isAdmin").GetBoolean());

        var allowed = await Put(staff, new { role = "custom", permissions = new { keywords = "view", admin_settings = true } });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Every_team_write_refuses_a_caller_without_admin_settings_in_one_text_before_looking_anything_up()
    {
        var team = await Team.CreateAsync(_host);
        var manager = await team.MemberAsync(new { role = "manager" });
        var asManager = team.As(manager);
        using var service = _host.ServiceClient("permissions.check");
        var unknown = Guid.NewGuid();

        const string TeamText = "Managing the team needs admin_settings.";
        // Members' access and the list are also a group admin's, within their groups.
        const string MembersText = "Managing members needs admin_settings, or to be the admin of one of their groups.";
        var refusals = new[]
        {
            (await asManager.PutAsJsonAsync($"/api/members/{unknown}/access", new { role = "none" }), MembersText),
            (await asManager.PutAsJsonAsync($"/api/members/{unknown}/access/groups/{unknown}", new { permissions = Array.Empty<string>() }), MembersText),
            (await asManager.DeleteAsync($"/api/members/{unknown}"), TeamText),
            (await asManager.PostAsJsonAsync("/api/groups", new { name = "" }), TeamText),
            (await asManager.PatchAsJsonAsync($"/api/groups/{unknown}", new { name = "Choir" }), TeamText),
            (await asManager.DeleteAsync($"/api/groups/{unknown}"), TeamText),
            (await asManager.GetAsync("/api/members"), MembersText),
            (await service.DeleteAsync($"/api/members/{unknown}"), TeamText),
        };

        foreach (var (refusal, detail) in refusals)
        {
            Assert.Equal(HttpStatusCode.Forbidden, refusal.StatusCode);
            var problem = await refusal.Json();
            Assert.Equal("forbidden", problem.GetProperty("code").GetString());
            Assert.Equal(detail, problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Team_management_needs_admin_settings()
    {
        var team = await Team.CreateAsync(_host);
        var manager = await team.MemberAsync(new { role = "manager" });
        var staff = await team.MemberAsync(new { role = "staff" });
        var asManager = team.As(manager);

        Assert.Equal("forbidden", await (await asManager.GetAsync("/api/members")).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await asManager.GetAsync("/api/members/summary")).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await asManager.GetAsync($"/api/members/{staff}")).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await asManager.PutAsJsonAsync($"/api/members/{staff}/access", new { role = "none" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await asManager.DeleteAsync($"/api/members/{staff}")).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await asManager.GetAsync("/api/audit")).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await asManager.PostAsJsonAsync("/api/groups", new { name = "Choir" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.OK, (await asManager.GetAsync("/api/groups")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asManager.GetAsync("/api/roles")).StatusCode);
        using var service = _host.ServiceClient("permissions.check");
        Assert.Equal("forbidden", await (await service.GetAsync("/api/members")).Problem(HttpStatusCode.Forbidden));
        using var anonymous = _host.CreateClient();
        Assert.Equal("unauthenticated", await (await anonymous.GetAsync("/api/members")).Problem(HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task The_last_active_admin_can_be_neither_demoted_nor_blocked_nor_removed()
    {
        var team = await Team.CreateAsync(_host);
        var admin = team.Admin;

        Assert.Equal("last_admin", await (await admin.PutAsJsonAsync($"/api/members/{team.AdminId}/access", new { role = "manager" })).Problem(HttpStatusCode.Conflict));
        Assert.Equal("last_admin", await (await admin.PutAsJsonAsync($"/api/members/{team.AdminId}/access", new { role = "none" })).Problem(HttpStatusCode.Conflict));
        Assert.Equal("last_admin", await (await admin.DeleteAsync($"/api/members/{team.AdminId}")).Problem(HttpStatusCode.Conflict));

        var second = await team.MemberAsync(new { role = "admin" });
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/members/{team.AdminId}/access", new { role = "manager" })).StatusCode);
        Assert.Equal("last_admin", await (await team.As(second).DeleteAsync($"/api/members/{second}")).Problem(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Removal_is_terminal_and_answers_the_revision()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "manager" });

        var removed = await (await team.Admin.DeleteAsync($"/api/members/{member}")).Json();
        var again = await (await team.Admin.DeleteAsync($"/api/members/{member}")).Json();
        var put = await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager" });

        Assert.Equal(3, removed.GetProperty("revision").GetInt64());
        Assert.Equal(3, again.GetProperty("revision").GetInt64());
        Assert.Equal("conflict", await put.Problem(HttpStatusCode.Conflict));
        Assert.Equal("removed", (await team.MemberViewAsync(member)).GetProperty("status").GetString());
        Assert.Equal(3, (await _host.Bus.WaitFor<MemberRemoved>(e => e.MemberId == member)).Revision);
        Assert.Equal("removed", (await _host.Bus.WaitFor<MemberAccessChanged>(e => e.MemberId == member)).Status);
        Assert.Equal("inactive", (await team.As(member).CheckAsync(new { permission = "measure" })).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Every_access_change_is_audited_with_before_and_after()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager" });
        await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager" }); // no change, no entry
        await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "none" });

        var audit = await (await team.Admin.GetAsync($"/api/audit?memberId={member}")).Json();

        var items = audit.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, audit.GetProperty("total").GetInt32());
        Assert.Equal(["access_changed", "access_changed", "registered"], items.Select(i => i.GetProperty("action").GetString()));
        var blocking = items[0];
        Assert.Equal(team.AdminId, blocking.GetProperty("actorId").GetGuid());
        Assert.Equal("manager", blocking.GetProperty("before").GetProperty("role").GetString());
        Assert.Equal("blocked", blocking.GetProperty("after").GetProperty("status").GetString());
        Assert.Equal("none", blocking.GetProperty("after").GetProperty("access").GetProperty("role").GetString());
        Assert.NotNull(blocking.GetProperty("memberUsername").GetString());
    }

    public static TheoryData<string, string> BadDocuments => new()
    {
        { """{"role": "owner"}""", "validation_failed" },
        { """{"role": "none", "isAdmin": true}""", "validation_failed" },
        { """{"role": "manager", "permissions": {"measure": true}}""", "validation_failed" },
        { """{"role": "custom", "groupIds": []}""", "validation_failed" },
        { """{"role": "custom", "permissions": {"billing": true}}""", "validation_failed" },
        { """{"role": "custom", "permissions": {"people": {"scope": "groups", "groupIds": ["00000000-0000-0000-0000-000000000001"]}}}""", "validation_failed" },
        { """{"role": "staff", "groupIds": ["00000000-0000-0000-0000-000000000001"]}""", "validation_failed" },
        { """{"role": "staff", "colour": "red"}""", "validation_failed" },
        { """{"role": 3}""", "validation_failed" },
        { """{"role": "staff", "isAdmin": "yes"}""", "validation_failed" },
        { """{"role": "staff",""", "validation_failed" },
        { "", "validation_failed" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task Bad_access_documents_are_refused_and_change_nothing(string json, string code)
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "manager" });

        var response = await team.Admin.PutJsonAsync($"/api/members/{member}/access", json);

        Assert.Equal(code, await response.Problem(HttpStatusCode.BadRequest));
        var view = await team.MemberViewAsync(member);
        Assert.Equal("manager", view.GetProperty("role").GetString());
        Assert.Equal(0, (await (await team.Admin.GetAsync($"/api/audit?memberId={member}&pageSize=1")).Json()).GetProperty("items")[0].GetProperty("revision").GetInt64() - 2);
    }

    [Fact]
    public async Task Bad_ids_and_query_values_never_give_a_500()
    {
        var team = await Team.CreateAsync(_host);

        Assert.Equal(HttpStatusCode.NotFound, (await team.Admin.GetAsync("/api/members/not-a-guid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await team.Admin.PutAsJsonAsync("/api/members/123/access", new { role = "manager" })).StatusCode);
        Assert.Equal("not_found", await (await team.Admin.GetAsync($"/api/members/{Guid.NewGuid()}")).Problem(HttpStatusCode.NotFound));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync("/api/members?status=sleeping")).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync("/api/members?role=owner")).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync("/api/members?pageSize=201")).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync("/api/members?page=0")).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync("/api/members?page=x")).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync("/api/members?groupId=nope")).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync($"/api/members?q={new string('a', 101)}")).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.GetAsync("/api/audit?memberId=nope")).Problem(HttpStatusCode.BadRequest));
    }
}
