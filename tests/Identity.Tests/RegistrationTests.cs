using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Messaging;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

[Collection(nameof(IdentityCollection))]
public sealed class RegistrationTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task The_first_two_members_are_admins_and_the_third_waits_for_approval()
    {
        var org = await Host.CreateOrganisationAsync();

        var second = await Host.JoinAsync(org.Slug);
        var third = await Host.JoinAsync(org.Slug);

        Assert.Equal(("active", true), (second.Status, second.IsAdmin));
        Assert.Equal(("pending_approval", false), (third.Status, third.IsAdmin));
    }

    [Fact]
    public async Task Verification_answers_the_member_and_the_organisation_slug()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");

        var verified = await Host.VerifyAsync(registrationId, (await Host.CodeFor(phone)).Code);

        var body = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(org.Slug, body.GetProperty("org").GetString());
        Assert.Equal(Host.Team.MemberOf(body.GetProperty("memberId").GetGuid()).Phone, phone);
        Assert.Equal(RegistrationRoutes.SelfRegistration, Host.Team.MemberOf(body.GetProperty("memberId").GetGuid()).Via);
    }

    [Fact]
    public async Task The_code_goes_to_the_notification_service_with_the_organisations_name_and_language()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();

        var started = await Host.StartRegistrationAsync(org.Slug, phone);

        var code = await Host.CodeFor(phone);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Hope Chapel", "en", OtpPurposes.Registration, org.Id), (code.OrganisationName, code.Language, code.Purpose, code.OrgId));
        Assert.Matches("^[0-9]{6}$", code.Code);
        Assert.Equal(body.GetProperty("expiresAt").GetDateTimeOffset(), code.ExpiresAt);
        Assert.Equal(Host.Time.GetUtcNow().AddMinutes(5), code.ExpiresAt);
    }

    [Fact]
    public async Task A_resend_waits_30_seconds_and_replaces_the_code()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        var first = await Host.CodeFor(phone);
        var client = Host.CreateClient();

        await Host.AdvanceAsync(TimeSpan.FromSeconds(20));
        var tooSoon = await client.PostAsync($"/api/registrations/{registrationId}/resend", null);
        await Host.AdvanceAsync(TimeSpan.FromSeconds(10));
        var resent = await client.PostAsync($"/api/registrations/{registrationId}/resend", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.Equal("rate_limited", await IdentityApi.CodeOf(tooSoon));
        Assert.Equal(TimeSpan.FromSeconds(10), tooSoon.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        var second = await Host.CodeFor(phone, nth: 2);
        Assert.Equal(Host.Time.GetUtcNow().AddMinutes(5), (await resent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").GetDateTimeOffset());
        if (first.Code != second.Code)
        {
            Assert.Equal("otp_invalid", await IdentityApi.CodeOf(await Host.VerifyAsync(registrationId, first.Code)));
        }

        Assert.Equal(HttpStatusCode.OK, (await Host.VerifyAsync(registrationId, second.Code)).StatusCode);
    }

    [Fact]
    public async Task A_code_expires_after_five_minutes_and_a_resend_gives_a_working_one()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        var code = await Host.CodeFor(phone);

        await Host.AdvanceAsync(TimeSpan.FromMinutes(5));
        var expired = await Host.VerifyAsync(registrationId, code.Code);
        await Host.CreateClient().PostAsync($"/api/registrations/{registrationId}/resend", null);
        var verified = await Host.VerifyAsync(registrationId, (await Host.CodeFor(phone, nth: 2)).Code);

        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Equal("otp_expired", await IdentityApi.CodeOf(expired));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_registration_until_a_resend()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        var code = (await Host.CodeFor(phone)).Code;
        var wrong = code == "000000" ? "999999" : "000000";

        var answers = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await IdentityApi.CodeOf(await Host.VerifyAsync(registrationId, wrong)));
        }

        var locked = await Host.VerifyAsync(registrationId, code);
        await Host.AdvanceAsync(TimeSpan.FromSeconds(30));
        await Host.CreateClient().PostAsync($"/api/registrations/{registrationId}/resend", null);
        var afterResend = await Host.VerifyAsync(registrationId, (await Host.CodeFor(phone, nth: 2)).Code);

        Assert.Equal(["otp_invalid", "otp_invalid", "otp_invalid", "otp_invalid", "otp_locked"], answers);
        Assert.Equal("otp_locked", await IdentityApi.CodeOf(locked));
        Assert.Equal(HttpStatusCode.OK, afterResend.StatusCode);
    }

    [Fact]
    public async Task Twenty_concurrent_verifications_of_one_registration_create_one_credential()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        var code = (await Host.CodeFor(phone)).Code;

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var response = await Host.VerifyAsync(registrationId, code);
            return (response.StatusCode, Member: response.IsSuccessStatusCode ? await IdentityApi.IdOf(response, "memberId") : Guid.Empty);
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(answers.Select(a => a.Member).Distinct());
        Assert.Equal(1, await Host.InDatabase(db => db.Credentials.CountAsync(c => c.Phone == phone)));
    }

    [Fact]
    public async Task A_verification_that_failed_half_way_succeeds_when_tried_again()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var token = Host.Team.Invite(org.Id, phone);
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone, token), "registrationId");
        var code = (await Host.CodeFor(phone)).Code;
        Host.Team.FailMemberCreations(times: 100);

        // The invitation is accepted, then permission is down: nothing is kept on identity's side.
        HttpResponseMessage failed;
        try
        {
            failed = await Host.AdvancingClockUntil(() => Host.VerifyAsync(registrationId, code));
        }
        finally
        {
            // The fake is the whole host's: the collection's next tests must find permission up.
            Host.Team.FailMemberCreations(times: 0);
        }

        var retried = await Host.VerifyAsync(registrationId, code);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("service_unavailable", await IdentityApi.CodeOf(failed));
        Assert.NotNull(failed.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var member = Host.Team.MemberOf(await IdentityApi.IdOf(retried, "memberId"));
        Assert.Equal(("active", false, RegistrationRoutes.Invitation), (member.Status, member.IsAdmin, member.Via));
        Assert.Equal("accepted", Host.Team.InvitationOf(token).State);
        Assert.Equal(1, await Host.InDatabase(db => db.Credentials.CountAsync(c => c.Phone == phone)));
    }

    [Fact]
    public async Task An_invited_phone_registers_through_a_closed_organisation_and_becomes_active_at_once()
    {
        var org = await Host.CreateOrganisationAsync();
        var admin = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        (await admin.PatchAsJsonAsync("/api/org", new { settings = new { selfRegistration = "closed" } })).EnsureSuccessStatusCode();
        var phone = TestPhones.New();
        var token = Host.Team.Invite(org.Id, phone);

        var closed = await Host.StartRegistrationAsync(org.Slug, TestPhones.New());
        var invited = await Host.StartRegistrationAsync(org.Slug, phone, token);
        var verified = await Host.VerifyAsync(await IdentityApi.IdOf(invited, "registrationId"), (await Host.CodeFor(phone)).Code);

        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        Assert.Equal("registration_closed", await IdentityApi.CodeOf(closed));
        var member = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("active", false), (member.GetProperty("status").GetString(), member.GetProperty("isAdmin").GetBoolean()));
        Assert.Equal(RegistrationRoutes.Invitation, Host.Team.MemberOf(member.GetProperty("memberId").GetGuid()).Via);
        Assert.Null(await Host.InDatabase(db => db.Registrations.Where(r => r.Phone == phone).Select(r => r.InvitationToken).SingleAsync()));
    }

    [Theory]
    [InlineData("mismatch", 403, "invitation_phone_mismatch")]
    [InlineData("expired", 410, "invitation_expired")]
    [InlineData("revoked", 410, "invitation_revoked")]
    [InlineData("unknown", 404, "not_found")]
    public async Task Invitation_refusals_are_passed_on(string problem, int status, string code)
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var token = problem switch
        {
            "mismatch" => Host.Team.Invite(org.Id, TestPhones.New()),
            "unknown" => "no-such-token",
            _ => Host.Team.Invite(org.Id, phone, problem),
        };
        var before = await Host.CountAsync<Registration>();

        var response = await Host.StartRegistrationAsync(org.Slug, phone, token);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, await IdentityApi.CodeOf(response));
        Assert.Equal(before, await Host.CountAsync<Registration>());
    }

    [Fact]
    public async Task An_unverified_organisation_holds_its_slug_for_24_hours_then_frees_it()
    {
        var slug = IdentityApi.NewSlug();
        var client = Host.CreateClient();
        var first = await client.PostAsJsonAsync("/api/orgs", new { name = "First", slug, username = "a", phone = TestPhones.New(), password = IdentityApi.Password });
        var registrationId = await IdentityApi.IdOf(first, "registrationId");

        var held = await client.PostAsJsonAsync("/api/orgs", new { name = "Second", slug, username = "b", phone = TestPhones.New(), password = IdentityApi.Password });
        var notYetAnOrganisation = await Host.StartRegistrationAsync(slug, TestPhones.New());
        await Host.AdvanceAsync(TimeSpan.FromHours(24));
        var phone = TestPhones.New();
        var freed = await client.PostAsJsonAsync("/api/orgs", new { name = "Second", slug, username = "b", phone, password = IdentityApi.Password });
        var late = await Host.VerifyAsync(registrationId, "123456");

        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        Assert.Equal("slug_taken", await IdentityApi.CodeOf(held));
        Assert.Equal(HttpStatusCode.NotFound, notYetAnOrganisation.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, freed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        var verified = await Host.VerifyAsync(await IdentityApi.IdOf(freed, "registrationId"), (await Host.CodeFor(phone)).Code);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task A_registration_whose_commit_failed_after_permission_created_the_member_is_completed_from_the_event()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        var code = (await Host.CodeFor(phone)).Code;
        // Identity's database goes away between permission's answer and identity's own commit: the connection holding the
        // registration's lock is ended by the server.
        Host.Team.AfterMemberCreated = () => Host.InDatabase(db => db.Database.SqlQueryRaw<bool>(
            """
            SELECT pg_terminate_backend(l.pid) AS "Value" FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE c.relname = 'registrations' AND l.mode = 'RowShareLock' AND l.pid <> pg_backend_pid()
            """).ToListAsync());
        HttpResponseMessage verified;
        try
        {
            verified = await Host.VerifyAsync(registrationId, code);
        }
        finally
        {
            Host.Team.AfterMemberCreated = null;
        }

        // The client gives up on the 503: nothing in identity says the phone was proven.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, verified.StatusCode);
        var member = Host.Team.Members.Single(m => m.OrgId == org.Id && m.Phone == phone);
        Assert.Equal(HttpStatusCode.BadRequest, (await Host.PasswordGrantAsync(org.Slug, phone, IdentityApi.Password)).StatusCode);

        // What permission publishes for the member it created.
        await Host.Bus.Publish(new MemberRegistered(
            org.Id, member.Id, member.Username, phone, member.Status, member.IsAdmin, member.Role, member.Via, null, 2, DateTimeOffset.UtcNow, registrationId));

        var login = await Eventually.Until(() => Host.PasswordGrantAsync(org.Slug, phone, IdentityApi.Password), r => r.StatusCode == HttpStatusCode.OK,
            what: "the member to log in once identity completed the registration");
        var again = await Host.VerifyAsync(registrationId, code);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(member.Id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("memberId").GetGuid());
        Assert.Equal(1, await Host.InDatabase(db => db.Credentials.CountAsync(c => c.OrgId == org.Id && c.Phone == phone)));
        Assert.Equal(1, await Host.InDatabase(db => db.MemberAccess.CountAsync(a => a.MemberId == member.Id)));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_MemberRegistered_for_a_registration_already_completed_changes_nothing()
    {
        var org = await Host.CreateOrganisationAsync();
        var joined = await Host.JoinAsync(org.Slug);
        var registrationId = await Host.InDatabase(db => db.Registrations.Where(r => r.MemberId == joined.Id).Select(r => r.Id).SingleAsync());
        var completedAt = await Host.InDatabase(db => db.Registrations.Where(r => r.Id == registrationId).Select(r => r.CompletedAt).SingleAsync());
        var messageId = Guid.NewGuid();

        await Host.Bus.Publish(new MemberRegistered(
            org.Id, joined.Id, "staffer", joined.Phone, joined.Status, joined.IsAdmin, "admin", RegistrationRoutes.SelfRegistration, null, 3, DateTimeOffset.UtcNow, registrationId),
            messageId);
        await Eventually.Until(() => Host.InDatabase(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId)), n => n == 1,
            what: "the event to be consumed");

        Assert.Equal(1, await Host.InDatabase(db => db.Credentials.CountAsync(c => c.OrgId == org.Id && c.Phone == joined.Phone)));
        Assert.Equal(completedAt, await Host.InDatabase(db => db.Registrations.Where(r => r.Id == registrationId).Select(r => r.CompletedAt).SingleAsync()));
    }
}
