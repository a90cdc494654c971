using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>The internal API of docs/internal-api.md, as identity and invitation call it.</summary>
[Collection(nameof(PermissionCollection))]
public sealed class InternalApiTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task The_creator_and_the_first_self_registrants_are_admins_then_everyone_waits()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 3);

        var second = await team.RegisterAsync();
        var third = await team.RegisterAsync();
        var fourth = await team.RegisterAsync();

        Assert.True(second.GetProperty("isAdmin").GetBoolean());
        Assert.Equal("admin", second.GetProperty("role").GetString());
        Assert.True(third.GetProperty("isAdmin").GetBoolean());
        Assert.Equal("active", third.GetProperty("status").GetString());
        Assert.False(fourth.GetProperty("isAdmin").GetBoolean());
        Assert.Equal("pending_approval", fourth.GetProperty("status").GetString());
        Assert.Equal(4, fourth.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task The_admins_are_the_active_admins_with_their_phones_and_a_blocked_admin_is_not_one()
    {
        var team = await Team.CreateAsync(_host);
        var secondPhone = TestPhones.New();
        var second = (await team.RegisterAsync(phone: secondPhone)).GetProperty("memberId").GetGuid();
        var blocked = (await team.RegisterAsync("invitation", new { role = "admin" })).GetProperty("memberId").GetGuid();
        await team.MemberAsync(new { role = "manager" });
        await team.RegisterAsync(); // waits for approval
        Assert.Equal(HttpStatusCode.OK, (await team.Admin.PutAsJsonAsync($"/api/members/{blocked}/access", new { role = "none" })).StatusCode);
        using var notification = _host.InternalClient("notification");

        var admins = await (await notification.GetAsync($"/internal/orgs/{team.OrgId}/admins")).Json();
        var nobody = await (await notification.GetAsync($"/internal/orgs/{Guid.NewGuid()}/admins")).Json();

        var listed = admins.GetProperty("admins").EnumerateArray().ToList();
        Assert.Equal(new[] { team.AdminId, second }.Order(), listed.Select(a => a.GetProperty("memberId").GetGuid()).Order());
        Assert.Equal(secondPhone, listed.Single(a => a.GetProperty("memberId").GetGuid() == second).GetProperty("phone").GetString());
        Assert.Empty(nobody.GetProperty("admins").EnumerateArray());
    }

    [Fact]
    public async Task Invited_members_get_exactly_their_access_and_never_take_an_admin_slot()
    {
        var team = await Team.CreateAsync(_host);
        var group = await team.GroupAsync();

        var invited = await team.RegisterAsync("invitation", new { role = "staff", groupIds = new[] { group } });
        var selfRegistered = await team.RegisterAsync();

        Assert.Equal("active", invited.GetProperty("status").GetString());
        Assert.Equal("staff", invited.GetProperty("role").GetString());
        Assert.False(invited.GetProperty("isAdmin").GetBoolean());
        Assert.True(selfRegistered.GetProperty("isAdmin").GetBoolean());
        var view = await team.MemberViewAsync(invited.GetProperty("memberId").GetGuid());
        Assert.Equal(group, view.GetProperty("groupIds")[0].GetGuid());
    }

    [Fact]
    public async Task Creating_a_member_is_idempotent_on_the_registration()
    {
        var team = await Team.CreateAsync(_host);
        using var identity = _host.InternalClient("identity");
        var request = new { registrationId = Guid.NewGuid(), orgId = team.OrgId, username = "amina", phone = TestPhones.New(), via = "registration" };

        var first = await (await identity.PostAsJsonAsync("/internal/members", request)).Json();
        var again = await identity.PostAsJsonAsync("/internal/members", request);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Json();
        Assert.Equal(first.GetProperty("memberId").GetGuid(), second.GetProperty("memberId").GetGuid());
        Assert.Equal(first.GetProperty("revision").GetInt64(), second.GetProperty("revision").GetInt64());
        Assert.Equal(2, await _host.InDatabase(db => Task.FromResult(db.Members.Count(m => m.OrgId == team.OrgId))));
        // Identity completes the registration from this event when its own commit failed: the event names the registration.
        var registered = await _host.Bus.WaitFor<MemberRegistered>(e => e.MemberId == first.GetProperty("memberId").GetGuid());
        Assert.Equal(request.registrationId, registered.RegistrationId);
    }

    [Fact]
    public async Task A_phone_belongs_to_one_member_until_they_are_removed()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var phone = TestPhones.New();
        var first = await team.MemberAsync(new { role = "manager" }, phone);
        using var identity = _host.InternalClient("identity");
        var again = new { registrationId = Guid.NewGuid(), orgId = team.OrgId, username = "again", phone, via = "registration" };

        Assert.Equal("already_member", await (await identity.PostAsJsonAsync("/internal/members", again)).Problem(HttpStatusCode.Conflict));

        Assert.Equal(HttpStatusCode.OK, (await team.Admin.DeleteAsync($"/api/members/{first}")).StatusCode);
        var returned = await (await identity.PostAsJsonAsync("/internal/members", again)).Json();
        Assert.NotEqual(first, returned.GetProperty("memberId").GetGuid());
        Assert.Equal("pending_approval", returned.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_pending_member_publishes_an_approval_request_to_every_active_admin()
    {
        var team = await Team.CreateAsync(_host);
        var second = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();
        var blockedAdmin = (await team.RegisterAsync("invitation", new { role = "admin" })).GetProperty("memberId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await team.Admin.PutAsJsonAsync($"/api/members/{blockedAdmin}/access", new { role = "none" })).StatusCode);

        var pending = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();

        var request = await _host.Bus.WaitFor<MemberApprovalRequested>(e => e.MemberId == pending);
        Assert.Equal(new[] { team.AdminId, second }.Order(), request.Recipients.Select(r => r.MemberId).Order());
        Assert.All(request.Recipients, r => Assert.StartsWith("+2547", r.Phone));
        var registered = await _host.Bus.WaitFor<MemberRegistered>(e => e.MemberId == pending);
        Assert.Equal("pending_approval", registered.Status);
        Assert.Equal("registration", registered.Via);
        Assert.DoesNotContain(_host.Bus.Received<MemberApprovalRequested>(), e => e.MemberId == second);
    }

    [Fact]
    public async Task The_member_status_for_a_grant_comes_from_the_database()
    {
        var team = await Team.CreateAsync(_host);
        var member = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();
        using var identity = _host.InternalClient("identity");

        var status = await (await identity.GetAsync($"/internal/orgs/{team.OrgId}/members/{member}")).Json();
        var elsewhere = await identity.GetAsync($"/internal/orgs/{Guid.NewGuid()}/members/{member}");

        Assert.Equal("active", status.GetProperty("status").GetString());
        Assert.Equal(team.OrgId, status.GetProperty("orgId").GetGuid());
        Assert.Equal("not_found", await elsewhere.Problem(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task The_internal_check_answers_the_status_too()
    {
        var team = await Team.CreateAsync(_host);
        var staff = await team.MemberAsync(new { role = "staff" });
        using var identity = _host.InternalClient("identity");

        var admin = await (await identity.PostAsJsonAsync("/internal/permissions/check", new { orgId = team.OrgId, memberId = team.AdminId, permission = "admin_settings" })).Json();
        var denied = await (await identity.PostAsJsonAsync("/internal/permissions/check", new { orgId = team.OrgId, memberId = staff, permission = "admin_settings" })).Json();
        var unknown = await identity.PostAsJsonAsync("/internal/permissions/check", new { orgId = team.OrgId, memberId = staff, permission = "billing" });

        Assert.True(admin.GetProperty("allowed").GetBoolean());
        Assert.Equal("admin", admin.GetProperty("reason").GetString());
        Assert.True(admin.GetProperty("isAdmin").GetBoolean());
        Assert.False(denied.GetProperty("allowed").GetBoolean());
        Assert.Equal("not_granted", denied.GetProperty("reason").GetString());
        Assert.Equal("active", denied.GetProperty("status").GetString());
        Assert.Equal("validation_failed", await unknown.Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Effective_permissions_for_identity_list_every_catalogue_name()
    {
        var team = await Team.CreateAsync(_host);
        var staff = await team.MemberAsync(new { role = "staff" });
        using var identity = _host.InternalClient("identity");

        var body = await (await identity.GetAsync($"/internal/orgs/{team.OrgId}/members/{staff}/effective-permissions")).Json();

        var permissions = body.GetProperty("permissions");
        Assert.Equal(13, permissions.EnumerateObject().Count());
        Assert.Equal("all", permissions.GetProperty("message_inbox").GetProperty("scope").GetString());
        Assert.Equal("off", permissions.GetProperty("people").GetProperty("scope").GetString());
        Assert.Equal("none", permissions.GetProperty("keywords").GetString());
        Assert.False(permissions.GetProperty("measure").GetBoolean());
        Assert.Equal("staff", body.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Invitation_checks_refuse_what_the_inviter_may_not_grant()
    {
        var team = await Team.CreateAsync(_host);
        var group = await team.GroupAsync();
        var teamLead = await team.MemberAsync(new { role = "custom", permissions = new Dictionary<string, object> { ["admin_settings"] = true, ["message_inbox"] = new { scope = "all" } } });
        var staff = await team.MemberAsync(new { role = "staff" });
        var member = TestPhones.New();
        await team.MemberAsync(new { role = "manager" }, member);
        using var invitation = _host.InternalClient("invitation");
        Task<HttpResponseMessage> Check(Guid actor, string phone, object access) =>
            invitation.PostAsJsonAsync($"/internal/orgs/{team.OrgId}/invitation-checks", new { actorId = actor, phone, access });

        var allowed = await Check(teamLead, TestPhones.New(), new { role = "staff", groupIds = new[] { group } });
        var body = await allowed.Json();

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("staff", body.GetProperty("access").GetProperty("role").GetString());
        Assert.StartsWith("member-", body.GetProperty("inviterUsername").GetString());
        Assert.Equal("escalation", await (await Check(teamLead, TestPhones.New(), new { role = "manager" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("escalation", await (await Check(teamLead, TestPhones.New(), new { role = "admin" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await Check(staff, TestPhones.New(), new { role = "staff" })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("already_member", await (await Check(team.AdminId, member, new { role = "staff" })).Problem(HttpStatusCode.Conflict));
        Assert.Equal("validation_failed", await (await Check(team.AdminId, TestPhones.New(), new { role = "none" })).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await Check(team.AdminId, TestPhones.New(), new { role = "staff", groupIds = new[] { Guid.NewGuid() } })).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("invalid_phone", await (await Check(team.AdminId, "0711 234 567", new { role = "staff" })).Problem(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.OK, (await Check(team.AdminId, TestPhones.New(), new { role = "admin" })).StatusCode);
    }

    [Fact]
    public async Task A_batch_of_invitation_checks_judges_each_row_as_the_single_check_would()
    {
        var team = await Team.CreateAsync(_host);
        var groupName = $"Choir {Guid.NewGuid():N}";
        var group = await team.GroupAsync(groupName);
        var other = await team.GroupAsync();
        var teamLead = await team.MemberAsync(new { role = "custom", permissions = new Dictionary<string, object> { ["admin_settings"] = true, ["message_inbox"] = new { scope = "all" } } });
        var staff = await team.MemberAsync(new { role = "staff" });
        var member = TestPhones.New();
        await team.MemberAsync(new { role = "manager" }, member);
        using var invitation = _host.InternalClient("invitation");
        Task<HttpResponseMessage> Check(Guid actor, IEnumerable<object> rows) =>
            invitation.PostAsJsonAsync($"/internal/orgs/{team.OrgId}/invitation-checks/batch", new { actorId = actor, rows });

        object[] rows =
        [
            new { phone = TestPhones.New(), preset = "staff", groups = new[] { groupName.ToLowerInvariant() } },
            new { phone = TestPhones.New(), preset = "staff", groups = new[] { other.ToString(), $" {groupName} " } },
            new { phone = TestPhones.New(), preset = "manager", groups = Array.Empty<string>() },
            new { phone = member, preset = "staff", groups = Array.Empty<string>() },
            new { phone = "0711 234 567", preset = "staff", groups = Array.Empty<string>() },
            new { phone = TestPhones.New(), preset = "boss", groups = Array.Empty<string>() },
            new { phone = TestPhones.New(), preset = "staff", groups = new[] { "No such group" } },
            new { phone = TestPhones.New(), preset = "none", groups = Array.Empty<string>() },
            new { phone = TestPhones.New(), preset = "admin", groups = Array.Empty<string>() },
        ];
        var answer = await Check(teamLead, rows);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = await answer.Json();
        var results = body.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(
            "invite invite escalation already_member invalid_phone unknown_preset unknown_group invalid_access escalation",
            string.Join(' ', results.Select(r => r.GetProperty("outcome").GetString())));
        Assert.Equal(
            "- - escalation already_member invalid_phone validation_failed validation_failed validation_failed escalation",
            string.Join(' ', results.Select(r => r.GetProperty("code").GetString() ?? "-")));
        Assert.Equal(group, results[0].GetProperty("access").GetProperty("groupIds").EnumerateArray().Single().GetGuid());
        Assert.Equal(
            new[] { group, other }.Order().ToArray(),
            results[1].GetProperty("access").GetProperty("groupIds").EnumerateArray().Select(g => g.GetGuid()).ToArray());
        Assert.Equal(JsonValueKind.Null, results[2].GetProperty("access").ValueKind);
        Assert.StartsWith("member-", body.GetProperty("inviterUsername").GetString());

        // The admin may grant what the team lead may not; a member without admin_settings is refused the whole batch.
        var asAdmin = (await (await Check(team.AdminId, rows)).Json()).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(("invite", "invite"), (asAdmin[2].GetProperty("outcome").GetString(), asAdmin[8].GetProperty("outcome").GetString()));
        Assert.Equal("forbidden", await (await Check(staff, rows)).Problem(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_batch_takes_a_thousand_rows_naming_groups_by_name_and_refuses_more()
    {
        var team = await Team.CreateAsync(_host);
        var groupName = $"Volunteers of the northern district {Guid.NewGuid():N}";
        var group = await team.GroupAsync(groupName);
        using var invitation = _host.InternalClient("invitation");
        var rows = Enumerable.Range(0, 1000).Select(_ => new { phone = TestPhones.New(), preset = "staff", groups = new[] { groupName } }).ToList();

        var thousand = await invitation.PostAsJsonAsync($"/internal/orgs/{team.OrgId}/invitation-checks/batch", new { actorId = team.AdminId, rows });
        var more = await invitation.PostAsJsonAsync(
            $"/internal/orgs/{team.OrgId}/invitation-checks/batch", new { actorId = team.AdminId, rows = rows.Append(rows[0]) });

        Assert.Equal(HttpStatusCode.OK, thousand.StatusCode);
        var results = (await thousand.Json()).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(1000, results.Count);
        Assert.All(results, r => Assert.Equal(group, r.GetProperty("access").GetProperty("groupIds")[0].GetGuid()));
        Assert.Equal("validation_failed", await more.Problem(HttpStatusCode.BadRequest));
    }

    public static TheoryData<string, HttpStatusCode, string> BadRegistrations => new()
    {
        { """{"registrationId": "REG", "orgId": "ORG", "username": "a", "phone": "0711234567", "via": "registration"}""", HttpStatusCode.BadRequest, "invalid_phone" },
        { """{"registrationId": "REG", "orgId": "ORG", "username": "a", "phone": "PHONE", "via": "magic"}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": "REG", "orgId": "ORG", "username": "", "phone": "PHONE", "via": "registration"}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": "REG", "orgId": "ORG", "username": "a", "phone": "PHONE", "via": "invitation"}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": "REG", "orgId": "ORG", "username": "a", "phone": "PHONE", "via": "registration", "access": {"role": "staff"}}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": "REG", "orgId": "ORG", "username": "a", "phone": "PHONE", "via": "invitation", "invitationId": "REG", "access": {"role": "none"}}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": "REG", "orgId": "ORG", "username": "a", "phone": "PHONE", "via": "invitation", "invitationId": "REG", "access": {"role": "staff", "groupIds": ["REG"]}}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": "REG", "orgId": "ORG", "username": "a", "phone": "PHONE", "via": "registration", "autoAdminCount": 0}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": "REG", "orgId": "ORG", "username": "a", "phone": "PHONE", "via": "registration", "colour": "red"}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": 5, "orgId": "ORG", "username": "a", "phone": "PHONE", "via": "registration"}""", HttpStatusCode.BadRequest, "validation_failed" },
        { """{"registrationId": "REG", "orgId": "ORG", """, HttpStatusCode.BadRequest, "validation_failed" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registrations_are_refused_with_a_code_and_write_nothing(string template, HttpStatusCode status, string code)
    {
        var orgId = Guid.NewGuid();
        var json = template.Replace("REG", Guid.NewGuid().ToString()).Replace("ORG", orgId.ToString()).Replace("PHONE", TestPhones.New());
        using var identity = _host.InternalClient("identity");

        var response = await identity.PostJsonAsync("/internal/members", json);

        Assert.Equal(code, await response.Problem(status));
        Assert.Equal(0, await _host.InDatabase(db => Task.FromResult(db.Members.Count(m => m.OrgId == orgId))));
    }

    [Fact]
    public async Task Internal_routes_refuse_a_caller_without_the_key_with_a_wrong_key_or_with_a_members_token()
    {
        using var anonymous = _host.CreateClient();
        using var member = _host.ClientFor(Guid.NewGuid(), Guid.NewGuid());
        using var wrongKey = _host.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Internal-Key", "wrong-key-0123456789abcdef0123456789abcdef0123");
        using var rightKey = _host.InternalClient();
        var lookup = $"/internal/orgs/{Guid.NewGuid()}/members/{Guid.NewGuid()}";

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(lookup)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync(lookup)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.GetAsync(lookup)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.PostAsJsonAsync("/internal/members", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.PostAsJsonAsync("/internal/members", new { })).StatusCode);
        // The same lookup with the key gets past authentication: an unknown member.
        Assert.Equal(HttpStatusCode.NotFound, (await rightKey.GetAsync(lookup)).StatusCode);
    }
}
