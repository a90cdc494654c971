using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>
/// Time-bound access through the API: checks answer by the clock, and the end is recorded as an access change of its own
/// (revision, audit entry without an actor, <c>MemberAccessChanged</c> with <c>changedByKind</c> <c>expiry</c>).
/// </summary>
[Collection(nameof(PermissionCollection))]
public sealed class TimeBoundAccessApiTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task A_temporary_manager_is_staff_again_the_moment_it_ends_and_the_end_is_recorded_once()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var expiresAt = _host.Time.GetUtcNow().AddHours(2);

        var response = await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager", expiresAt });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changed = (await response.Json()).GetProperty("member");
        Assert.Equal(expiresAt, changed.GetProperty("accessExpiresAt").GetDateTimeOffset());
        Assert.Equal(expiresAt, changed.GetProperty("access").GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("staff", changed.GetProperty("access").GetProperty("then").GetProperty("role").GetString());
        var granted = await _host.Bus.WaitFor<MemberAccessChanged>(e => e.MemberId == member && e.Role == "manager");
        Assert.Equal((ChangeKinds.Member, (DateTimeOffset?)expiresAt), (granted.ChangedByKind, granted.AccessExpiresAt));

        _host.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromMilliseconds(1));
        Assert.True((await team.As(member).CheckAsync(new { permission = "measure" })).GetProperty("allowed").GetBoolean());

        _host.Time.Advance(TimeSpan.FromMilliseconds(1));
        var check = await team.As(member).CheckAsync(new { permission = "measure" });
        Assert.Equal((false, "not_granted"), (check.GetProperty("allowed").GetBoolean(), check.GetProperty("reason").GetString()));

        var ended = await _host.Bus.WaitFor<MemberAccessChanged>(e => e.MemberId == member && e.ChangedByKind == ChangeKinds.Expiry);
        Assert.Equal(("staff", (Guid?)null, (DateTimeOffset?)null), (ended.Role, ended.ChangedBy, ended.AccessExpiresAt));
        Assert.Equal(granted.Revision + 1, ended.Revision);
        var view = await team.MemberViewAsync(member);
        Assert.Equal(("staff", JsonValueKind.Null), (view.GetProperty("role").GetString(), view.GetProperty("accessExpiresAt").ValueKind));

        var audit = (await (await team.Admin.GetAsync($"/api/audit?memberId={member}")).Json()).GetProperty("items")[0];
        Assert.Equal(("access_expired", "expiry", JsonValueKind.Null), (
            audit.GetProperty("action").GetString(), audit.GetProperty("changedByKind").GetString(), audit.GetProperty("actorId").ValueKind));
        Assert.Equal(("manager", "staff"), (audit.GetProperty("before").GetProperty("role").GetString(), audit.GetProperty("after").GetProperty("role").GetString()));
        Assert.True((await (await team.Admin.GetAsync("/api/audit/verify")).Json()).GetProperty("intact").GetBoolean());

        _host.Time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        Assert.Single(_host.Bus.Received<MemberAccessChanged>(e => e.MemberId == member && e.ChangedByKind == ChangeKinds.Expiry));
    }

    [Fact]
    public async Task A_change_made_after_the_end_sees_the_member_as_the_end_left_them()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var expiresAt = _host.Time.GetUtcNow().AddMinutes(30);
        await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "custom", permissions = new { admin_settings = true }, expiresAt });
        var other = await team.MemberAsync(new { role = "staff" });

        _host.Time.Advance(TimeSpan.FromMinutes(30));
        // Whether or not the sweeper has run, the member's own team management has ended.
        var attempt = await team.As(member).PutAsJsonAsync($"/api/members/{other}/access", new { role = "none" });

        Assert.Equal("forbidden", await attempt.Problem(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Ending_early_and_extending_are_changes_and_a_lasting_change_cancels_the_end()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var now = _host.Time.GetUtcNow();
        await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager", expiresAt = now.AddDays(1) });

        var extended = await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager", expiresAt = now.AddDays(3) });
        Assert.Equal(now.AddDays(3), (await extended.Json()).GetProperty("member").GetProperty("accessExpiresAt").GetDateTimeOffset());
        var endedEarly = await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "staff" });
        Assert.Equal(JsonValueKind.Null, (await endedEarly.Json()).GetProperty("member").GetProperty("accessExpiresAt").ValueKind);

        _host.Time.Advance(TimeSpan.FromDays(4));
        await Task.Delay(300);

        var audit = (await (await team.Admin.GetAsync($"/api/audit?memberId={member}")).Json()).GetProperty("items");
        Assert.Equal(["access_changed", "access_changed", "access_changed", "registered"], audit.EnumerateArray().Select(i => i.GetProperty("action").GetString()));
        Assert.Equal("staff", (await team.MemberViewAsync(member)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Explain_says_first_whether_the_access_is_temporary_or_has_ended()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var expiresAt = _host.Time.GetUtcNow().AddMinutes(10);
        await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager", expiresAt });
        var question = $"/api/members/{member}/explain?permission=measure";

        var running = await (await team.Admin.GetAsync(question)).Json();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        var ended = await (await team.Admin.GetAsync(question)).Json();

        Assert.Equal(("access_temporary", true), (running.GetProperty("steps")[0].GetProperty("code").GetString(), running.GetProperty("allowed").GetBoolean()));
        Assert.False(ended.GetProperty("allowed").GetBoolean());
        // Until the sweeper records the end, the answer says it comes from what followed; once recorded, that access lasts.
        var first = ended.GetProperty("steps")[0];
        if (first.GetProperty("code").GetString() == "access_expired")
        {
            Assert.Contains(expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), first.GetProperty("text").GetString());
        }
        else
        {
            Assert.Equal("member_active", first.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Refusals_name_what_is_wrong_and_change_nothing()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var member = await team.MemberAsync(new { role = "staff" });
        var now = _host.Time.GetUtcNow();

        var past = await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager", expiresAt = now.AddSeconds(-1) });
        var lastAdmin = await team.Admin.PutAsJsonAsync(
            $"/api/members/{team.AdminId}/access", new { role = "admin", expiresAt = now.AddDays(1), then = new { role = "manager" } });
        using var invitations = _host.InternalClient("invitation");
        var invitation = await invitations.PostAsJsonAsync($"/internal/orgs/{team.OrgId}/invitation-checks", new
        {
            actorId = team.AdminId, phone = "+254711000999", access = new { role = "manager", expiresAt = now.AddDays(1) },
        });

        Assert.Equal("validation_failed", await past.Problem(HttpStatusCode.BadRequest));
        Assert.Equal("last_admin", await lastAdmin.Problem(HttpStatusCode.Conflict));
        Assert.Equal("validation_failed", await invitation.Problem(HttpStatusCode.BadRequest));
        Assert.Equal(JsonValueKind.Null, (await team.MemberViewAsync(team.AdminId)).GetProperty("accessExpiresAt").ValueKind);
    }
}
