using System.Net;
using System.Net.Http.Json;
using System.Text;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>Issue 3's bad-input table: each refusal has its status and code, never a 500, and writes nothing.</summary>
[Collection(nameof(IdentityCollection))]
public sealed class BadInputTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    public static TheoryData<string, string, int, string> OrganisationBodies()
    {
        var phone = TestPhones.New();
        string Body(string name = "\"Hope\"", string slug = "\"hope-x\"", string username = "\"amina\"", string? phoneValue = null, string password = "\"correct horse battery\"", string extra = "") =>
            $$"""{"name": {{name}}, "slug": {{slug}}, "username": {{username}}, "phone": {{phoneValue ?? $"\"{phone}\""}}, "password": {{password}}{{extra}}}""";
        return new()
        {
            { "malformed JSON", """{"name": "Hope", "slug": """, 400, "validation_failed" },
            { "not an object", "[1, 2, 3]", 400, "validation_failed" },
            { "wrong type", Body(phoneValue: "254711234567"), 400, "validation_failed" },
            { "unknown member", Body(extra: ", \"isAdmin\": true"), 400, "validation_failed" },
            { "missing field", """{"name": "Hope"}""", 400, "validation_failed" },
            { "invalid slug", Body(slug: "\"Hope Chapel\""), 400, "validation_failed" },
            { "empty name", Body(name: "\"  \""), 400, "validation_failed" },
            { "national phone", Body(phoneValue: "\"0711234567\""), 400, "invalid_phone" },
            { "letters in phone", Body(phoneValue: "\"+2547ABCDEFG\""), 400, "invalid_phone" },
            { "impossible number", Body(phoneValue: "\"+999123\""), 400, "invalid_phone" },
            { "short password", Body(password: "\"123456789\""), 400, "weak_password" },
            { "long password", Body(password: $"\"{new string('p', 129)}\""), 400, "weak_password" },
        };
    }

    [Theory]
    [MemberData(nameof(OrganisationBodies))]
    public async Task Creating_an_organisation_with_bad_input_is_refused_and_writes_nothing(string why, string body, int status, string code)
    {
        var before = await WrittenAsync();

        var response = await Host.CreateClient().PostAsync("/api/orgs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(status == (int)response.StatusCode, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(code, await IdentityApi.CodeOf(response));
        Assert.Equal(before, await WrittenAsync());
    }

    [Fact]
    public async Task Registering_at_an_unknown_organisation_is_not_found()
    {
        var before = await WrittenAsync();

        var response = await Host.StartRegistrationAsync("no-such-org", TestPhones.New());

        await AssertRefused(response, HttpStatusCode.NotFound, "not_found", before);
    }

    [Theory]
    [InlineData("""{"username": "a", "phone": "+254711234567", "password": 1234567890}""", "validation_failed")]
    [InlineData("""{"username": "a", "phone": "not a phone", "password": "correct horse battery"}""", "invalid_phone")]
    [InlineData("""{"username": "a", "phone": "+254711234567", "password": "short"}""", "weak_password")]
    [InlineData("""{"username": "", "phone": "+254711234567", "password": "correct horse battery"}""", "validation_failed")]
    [InlineData("""{"username": "a", "phone": "+254711234567", "password": "correct horse battery", "role": "admin"}""", "validation_failed")]
    public async Task Registering_with_bad_input_is_refused(string body, string code)
    {
        var org = await Host.CreateOrganisationAsync();
        var before = await WrittenAsync();

        var response = await Host.CreateClient().PostAsync($"/api/orgs/{org.Slug}/registrations", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertRefused(response, HttpStatusCode.BadRequest, code, before);
    }

    [Fact]
    public async Task Nobody_registers_with_the_chatbot_number()
    {
        var org = await Host.CreateOrganisationAsync();
        var chatbot = TestPhones.New();
        var admin = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        (await admin.PatchAsJsonAsync("/api/org", new { settings = new { chatbotPhone = chatbot.Insert(4, " ") } })).EnsureSuccessStatusCode();
        var before = await WrittenAsync();

        var response = await Host.StartRegistrationAsync(org.Slug, chatbot);

        await AssertRefused(response, HttpStatusCode.BadRequest, "chatbot_number", before);
    }

    [Fact]
    public async Task A_slug_in_use_is_taken()
    {
        var org = await Host.CreateOrganisationAsync();
        var before = await WrittenAsync();

        var response = await Host.CreateClient().PostAsJsonAsync(
            "/api/orgs", new { name = "Copy", slug = org.Slug, username = "b", phone = TestPhones.New(), password = IdentityApi.Password });

        await AssertRefused(response, HttpStatusCode.Conflict, "slug_taken", before);
    }

    [Fact]
    public async Task A_members_phone_is_taken_in_that_organisation_only()
    {
        var org = await Host.CreateOrganisationAsync();
        var other = await Host.CreateOrganisationAsync();
        var before = await WrittenAsync();

        var taken = await Host.StartRegistrationAsync(org.Slug, org.Creator.Phone);
        await AssertRefused(taken, HttpStatusCode.Conflict, "phone_taken", before);

        var elsewhere = await Host.StartRegistrationAsync(other.Slug, org.Creator.Phone);
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Wrong_expired_and_locked_codes_create_no_member()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        var code = (await Host.CodeFor(phone)).Code;
        var wrong = code == "000000" ? "999999" : "000000";
        var before = await WrittenAsync();

        await AssertRefused(await Host.VerifyAsync(registrationId, wrong), HttpStatusCode.BadRequest, "otp_invalid", before);
        await Host.AdvanceAsync(TimeSpan.FromMinutes(5));
        await AssertRefused(await Host.VerifyAsync(registrationId, code), HttpStatusCode.BadRequest, "otp_expired", before);

        await Host.AdvanceAsync(TimeSpan.FromSeconds(30));
        await Host.CreateClient().PostAsync($"/api/registrations/{registrationId}/resend", null);
        var fresh = (await Host.CodeFor(phone, nth: 2)).Code;
        for (var i = 0; i < 5; i++)
        {
            await Host.VerifyAsync(registrationId, fresh == "000000" ? "999999" : "000000");
        }

        var afterResend = await WrittenAsync();
        await AssertRefused(await Host.VerifyAsync(registrationId, fresh), HttpStatusCode.BadRequest, "otp_locked", afterResend);
        Assert.Equal(before.Credentials, afterResend.Credentials);
    }

    [Theory]
    [InlineData("""{"code": 123456}""")]
    [InlineData("""{}""")]
    [InlineData("""{"code": "123456", "extra": 1}""")]
    public async Task A_verification_without_a_code_string_is_invalid(string body)
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");

        var response = await Host.CreateClient().PostAsync(
            $"/api/registrations/{registrationId}/verify", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", await IdentityApi.CodeOf(response));
    }

    [Fact]
    public async Task An_unknown_registration_is_not_found()
    {
        var verify = await Host.VerifyAsync(Guid.NewGuid(), "123456");
        var resend = await Host.CreateClient().PostAsync($"/api/registrations/{Guid.NewGuid()}/resend", null);

        Assert.Equal(("not_found", "not_found"), (await IdentityApi.CodeOf(verify), await IdentityApi.CodeOf(resend)));
    }

    [Fact]
    public async Task A_resend_too_soon_is_rate_limited_with_retry_after_and_sends_nothing()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        await Host.CodeFor(phone);
        var before = await WrittenAsync();

        var response = await Host.CreateClient().PostAsync($"/api/registrations/{registrationId}/resend", null);

        await AssertRefused(response, HttpStatusCode.TooManyRequests, "rate_limited", before);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData("""{"settings": {"autoAdminCount": 0}}""", "validation_failed")]
    [InlineData("""{"settings": {"inviteTtlDays": 91}}""", "validation_failed")]
    [InlineData("""{"settings": {"selfRegistration": "open"}}""", "validation_failed")]
    [InlineData("""{"settings": {"language": "English"}}""", "validation_failed")]
    [InlineData("""{"settings": {"chatbotPhone": "12345"}}""", "invalid_phone")]
    [InlineData("""{"name": ""}""", "validation_failed")]
    [InlineData("""{"settings": {"smsFallback": "yes"}}""", "validation_failed")]
    public async Task Bad_settings_are_refused_and_change_nothing(string body, string code)
    {
        var org = await Host.CreateOrganisationAsync();
        var admin = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        var before = await admin.GetStringAsync("/api/org");

        var response = await admin.PatchAsync("/api/org", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await IdentityApi.CodeOf(response));
        Assert.Equal(before, await admin.GetStringAsync("/api/org"));
    }

    private async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string code, Written before)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, await IdentityApi.CodeOf(response));
        Assert.Equal(before, await WrittenAsync());
    }

    /// <summary>Rows of every table a refused request could have touched (codes sent are counted in otp_sends).</summary>
    private sealed record Written(int Organisations, int Registrations, int Credentials, int CodesSent, int Resets);

    private async Task<Written> WrittenAsync() => new(
        await Host.CountAsync<Organisation>(), await Host.CountAsync<Registration>(), await Host.CountAsync<Credential>(),
        await Host.CountAsync<OtpSend>(), await Host.CountAsync<PasswordReset>());
}
