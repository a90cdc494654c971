using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

[Collection(nameof(IdentityCollection))]
public sealed class SessionTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task A_member_lists_their_sessions_and_ends_another_one()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = await Host.LoginAsync(org.Slug, org.Creator);
        var laptop = await Host.LoginAsync(org.Slug, org.Creator);
        var client = Host.ClientWith(phone);

        var listed = await client.GetFromJsonAsync<JsonElement>("/api/me/sessions");
        var laptopSid = laptop.Access.GetClaim("sid").Value;
        var ended = await client.DeleteAsync($"/api/me/sessions/{laptopSid}");

        Assert.Equal(2, listed.GetProperty("total").GetInt32());
        var current = listed.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("current").GetBoolean());
        Assert.Equal(phone.Access.GetClaim("sid").Value, current.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(await Host.RefreshAsync(laptop.RefreshToken!))).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.ClientWith(laptop).GetAsync("/api/org")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.RefreshAsync(phone.RefreshToken!)).StatusCode);
        var revoked = await Host.Bus.WaitFor<MemberSessionsRevoked>(e => e.SessionId == laptopSid);
        Assert.Equal(("signed_out", org.Id), (revoked.Reason, revoked.OrgId));
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/me/sessions")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_sign_in_is_published_once_with_its_session_and_a_refused_one_or_a_refresh_is_not()
    {
        var org = await Host.CreateOrganisationAsync();
        var refused = await Host.PasswordGrantAsync(org.Slug, org.Creator.Phone, "not the password at all");
        var tokens = await Host.LoginAsync(org.Slug, org.Creator);
        var sid = Guid.Parse(tokens.Access.GetClaim("sid").Value);
        Assert.Equal(HttpStatusCode.OK, (await Host.RefreshAsync(tokens.RefreshToken!)).StatusCode);

        var signedIn = await Host.Bus.WaitFor<MemberSignedIn>(e => e.MemberId == org.Creator.Id);
        Assert.Equal((org.Id, sid), (signedIn.OrgId, signedIn.SessionId));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        // A later login's event is the next one this member gets: nothing came from the refusal or the refresh.
        var second = await Host.LoginAsync(org.Slug, org.Creator);
        await Host.Bus.WaitFor<MemberSignedIn>(e => e.SessionId == Guid.Parse(second.Access.GetClaim("sid").Value));
        Assert.Equal(2, Host.Bus.Received<MemberSignedIn>(e => e.MemberId == org.Creator.Id).Count);
    }

    [Fact]
    public async Task Another_members_session_is_not_found()
    {
        var org = await Host.CreateOrganisationAsync();
        var other = await Host.JoinAsync(org.Slug);
        var mine = await Host.LoginAsync(org.Slug, org.Creator);
        var theirs = await Host.LoginAsync(org.Slug, other);

        var response = await Host.ClientWith(mine).DeleteAsync($"/api/me/sessions/{theirs.Access.GetClaim("sid").Value}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.RefreshAsync(theirs.RefreshToken!)).StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_ends_the_other_sessions_only()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        var here = await Host.LoginAsync(org.Slug, member);
        var elsewhere = await Host.LoginAsync(org.Slug, member);
        var client = Host.ClientWith(here);

        var wrong = await client.PostAsJsonAsync("/api/me/password", new { currentPassword = "not my password", newPassword = "a brand new passphrase" });
        var weak = await client.PostAsJsonAsync("/api/me/password", new { currentPassword = member.Password, newPassword = "short" });
        var changed = await client.PostAsJsonAsync("/api/me/password", new { currentPassword = member.Password, newPassword = "a brand new passphrase" });

        Assert.Equal(("validation_failed", "weak_password"), (await IdentityApi.CodeOf(wrong), await IdentityApi.CodeOf(weak)));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.RefreshAsync(here.RefreshToken!)).StatusCode);
        Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(await Host.RefreshAsync(elsewhere.RefreshToken!))).Error);
        var revoked = await Host.Bus.WaitFor<MemberSessionsRevoked>(e => e.SessionId == elsewhere.Access.GetClaim("sid").Value);
        Assert.Equal("password_changed", revoked.Reason);
        Assert.DoesNotContain(Host.Bus.Received<MemberSessionsRevoked>(), e => e.SessionId == here.Access.GetClaim("sid").Value);
        Assert.Equal(("invalid_grant", "invalid_credentials"), await IdentityApi.OAuthErrorOf(await Host.PasswordGrantAsync(org.Slug, member.Phone, member.Password)));
        Assert.Equal(HttpStatusCode.OK, (await Host.PasswordGrantAsync(org.Slug, member.Phone, "a brand new passphrase")).StatusCode);
    }

    [Fact]
    public async Task A_blocked_member_loses_every_session_at_once()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        var first = await Host.LoginAsync(org.Slug, member);
        var second = await Host.LoginAsync(org.Slug, member);

        Host.Team.SetStatus(member.Id, MemberStatuses.Blocked);
        await Host.Bus.Publish(new MemberAccessChanged(org.Id, member.Id, MemberStatuses.Blocked, MemberStatuses.Active, false, "none", 9, org.Creator.Id, DateTimeOffset.UtcNow));

        var revoked = await Host.Bus.WaitFor<MemberSessionsRevoked>(e => e.MemberId == member.Id);
        Assert.Equal((null, "blocked"), (revoked.SessionId, revoked.Reason));
        Assert.Equal(Host.Time.GetUtcNow(), revoked.RevokedBefore);
        foreach (var tokens in new[] { first, second })
        {
            Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(await Host.RefreshAsync(tokens.RefreshToken!))).Error);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Host.ClientWith(tokens).GetAsync("/api/me")).StatusCode);
        }

        var list = await Host.InternalClient().GetFromJsonAsync<JsonElement>("/internal/sessions/revocations");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), r => r.GetProperty("memberId").GetGuid() == member.Id
            && r.GetProperty("sessionId").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_permission_edit_does_not_end_sessions()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        var tokens = await Host.LoginAsync(org.Slug, member);
        var marker = await Host.JoinAsync(org.Slug);

        await Host.Bus.Publish(new MemberAccessChanged(org.Id, member.Id, MemberStatuses.Active, MemberStatuses.Active, false, "staff", 9, org.Creator.Id, DateTimeOffset.UtcNow));
        // A later removal of someone else, to know the first event has been handled.
        await Host.Bus.Publish(new MemberRemoved(org.Id, marker.Id, 10, org.Creator.Id, DateTimeOffset.UtcNow));
        await Host.Bus.WaitFor<MemberSessionsRevoked>(e => e.MemberId == marker.Id);

        Assert.DoesNotContain(Host.Bus.Received<MemberSessionsRevoked>(), e => e.MemberId == member.Id);
        Assert.Equal(HttpStatusCode.OK, (await Host.RefreshAsync(tokens.RefreshToken!)).StatusCode);
    }

    [Fact]
    public async Task A_removed_member_loses_their_sessions_and_their_phone_may_register_again()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        var tokens = await Host.LoginAsync(org.Slug, member);

        Host.Team.SetStatus(member.Id, MemberStatuses.Removed);
        var removed = new MemberRemoved(org.Id, member.Id, 11, org.Creator.Id, DateTimeOffset.UtcNow);
        await Host.Bus.Publish(removed);
        await Host.Bus.Publish(new MemberAccessChanged(org.Id, member.Id, MemberStatuses.Removed, MemberStatuses.Active, false, "none", 11, org.Creator.Id, DateTimeOffset.UtcNow));

        var revoked = await Host.Bus.WaitFor<MemberSessionsRevoked>(e => e.MemberId == member.Id);
        Assert.Equal("removed", revoked.Reason);
        Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(await Host.RefreshAsync(tokens.RefreshToken!))).Error);
        var again = await Host.JoinAsync(org.Slug, member.Phone);
        Assert.NotEqual(member.Id, again.Id);
        Assert.Equal(1, await Host.InDatabase(db => db.Credentials.CountAsync(c => c.Phone == member.Phone && c.RemovedAt == null)));
        // Both events report one removal: it is announced once.
        Assert.Single(Host.Bus.Received<MemberSessionsRevoked>(), e => e.MemberId == member.Id);
    }

    [Fact]
    public async Task The_revocation_list_is_internal_and_keeps_only_what_tokens_can_outlive()
    {
        var org = await Host.CreateOrganisationAsync();
        var tokens = await Host.LoginAsync(org.Slug, org.Creator);
        (await Host.ClientWith(tokens).DeleteAsync($"/api/me/sessions/{tokens.Access.GetClaim("sid").Value}")).EnsureSuccessStatusCode();
        var sid = Guid.Parse(tokens.Access.GetClaim("sid").Value);

        var anonymous = await Host.CreateClient().GetAsync("/internal/sessions/revocations");
        var fresh = await Host.InternalClient().GetFromJsonAsync<JsonElement>("/internal/sessions/revocations");
        await Host.AdvanceAsync(TimeSpan.FromMinutes(12));
        var later = await Host.InternalClient().GetFromJsonAsync<JsonElement>("/internal/sessions/revocations");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(fresh.GetProperty("items").EnumerateArray(), r => r.GetProperty("sessionId").GetString() == sid.ToString());
        Assert.DoesNotContain(later.GetProperty("items").EnumerateArray(), r => r.GetProperty("sessionId").GetString() == sid.ToString());
    }
}

[Collection(nameof(IdentityCollection))]
public sealed class PasswordResetTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task A_reset_by_code_sets_the_password_and_ends_every_session()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        var tokens = await Host.LoginAsync(org.Slug, member);
        var client = Host.CreateClient();

        var started = await client.PostAsJsonAsync($"/api/orgs/{org.Slug}/password-resets", new { phone = member.Phone });
        var code = await Host.CodeFor(member.Phone, nth: 2);
        var resetId = await IdentityApi.IdOf(started, "resetId");
        var completed = await client.PostAsJsonAsync($"/api/password-resets/{resetId}/complete", new { code = code.Code, newPassword = "a new long passphrase" });
        var again = await client.PostAsJsonAsync($"/api/password-resets/{resetId}/complete", new { code = code.Code, newPassword = "another passphrase!" });

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(OtpPurposes.PasswordReset, code.Purpose);
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(await Host.RefreshAsync(tokens.RefreshToken!))).Error);
        var revoked = await Host.Bus.WaitFor<MemberSessionsRevoked>(e => e.MemberId == member.Id);
        Assert.Equal((null, "password_reset"), (revoked.SessionId, revoked.Reason));
        Assert.Equal(("invalid_grant", "invalid_credentials"), await IdentityApi.OAuthErrorOf(await Host.PasswordGrantAsync(org.Slug, member.Phone, member.Password)));
        var login = await Host.PasswordGrantAsync(org.Slug, member.Phone, "a new long passphrase");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        // Logging in right after the reset: the new session is not caught by the revocation.
        var sid = Guid.Parse((await IdentityApi.TokensOf(login)).Access.GetClaim("sid").Value);
        Assert.True(sid.Version == 7 && await Host.InDatabase(db => db.Sessions.AnyAsync(s => s.Id == sid && s.EndedAt == null)));
    }

    [Fact]
    public async Task An_unknown_phone_gets_the_same_answer_and_no_code()
    {
        var org = await Host.CreateOrganisationAsync();
        var stranger = TestPhones.New();
        var client = Host.CreateClient();

        var unknown = await client.PostAsJsonAsync($"/api/orgs/{org.Slug}/password-resets", new { phone = stranger });
        var known = await client.PostAsJsonAsync($"/api/orgs/{org.Slug}/password-resets", new { phone = org.Creator.Phone });
        await Host.CodeFor(org.Creator.Phone, nth: 2); // relayed after the stranger's would have been

        Assert.Equal(known.StatusCode, unknown.StatusCode);
        var (a, b) = (await unknown.Content.ReadFromJsonAsync<JsonElement>(), await known.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(
            b.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)),
            a.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)));
        Assert.Equal(b.GetProperty("expiresAt").GetDateTimeOffset(), a.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.DoesNotContain(Host.Codes, c => c.Phone == stranger);
        var guess = await client.PostAsJsonAsync($"/api/password-resets/{a.GetProperty("resetId").GetGuid()}/complete", new { code = "123456", newPassword = "a new long passphrase" });
        Assert.Equal("otp_invalid", await IdentityApi.CodeOf(guess));
    }

    [Fact]
    public async Task A_wrong_code_or_weak_password_changes_nothing()
    {
        var org = await Host.CreateOrganisationAsync();
        var client = Host.CreateClient();
        var started = await client.PostAsJsonAsync($"/api/orgs/{org.Slug}/password-resets", new { phone = org.Creator.Phone });
        var code = (await Host.CodeFor(org.Creator.Phone, nth: 2)).Code;
        var resetId = await IdentityApi.IdOf(started, "resetId");

        var weak = await client.PostAsJsonAsync($"/api/password-resets/{resetId}/complete", new { code, newPassword = "short" });
        var wrong = await client.PostAsJsonAsync($"/api/password-resets/{resetId}/complete", new { code = code == "000000" ? "999999" : "000000", newPassword = "a new long passphrase" });
        await Host.AdvanceAsync(TimeSpan.FromMinutes(5));
        var expired = await client.PostAsJsonAsync($"/api/password-resets/{resetId}/complete", new { code, newPassword = "a new long passphrase" });

        Assert.Equal(("weak_password", "otp_invalid", "otp_expired"), (await IdentityApi.CodeOf(weak), await IdentityApi.CodeOf(wrong), await IdentityApi.CodeOf(expired)));
        Assert.Equal(HttpStatusCode.OK, (await Host.PasswordGrantAsync(org.Slug, org.Creator.Phone, org.Creator.Password)).StatusCode);
    }
}
