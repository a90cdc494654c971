using System.Net;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>What a person does moves identity's meters by exactly that, with the reason as a tag and nothing personal.</summary>
[Collection(nameof(IdentityCollection))]
public sealed class MeterTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task Creating_an_organisation_counts_one_registration_one_code_sent_and_one_verified()
    {
        using var registrations = Collect("teamplatform.identity.registrations");
        using var sent = Collect("teamplatform.identity.codes.sent");
        using var verified = Collect("teamplatform.identity.codes.verified");

        await Host.CreateOrganisationAsync();

        Assert.Equal(1, registrations.Sum(("kind", "organisation_creation")));
        Assert.Equal(1, registrations.Sum());
        Assert.Equal(1, sent.Sum(("purpose", OtpPurposes.Registration)));
        Assert.Equal(1, verified.Sum(("purpose", OtpPurposes.Registration)));
    }

    [Fact]
    public async Task Wrong_codes_are_refused_with_their_reason_and_the_fifth_locks_the_code_once()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        var code = (await Host.CodeFor(phone)).Code;
        var wrong = code == "000000" ? "999999" : "000000";
        using var refused = Collect("teamplatform.identity.codes.refused");
        using var locked = Collect("teamplatform.identity.codes.locked");
        using var verified = Collect("teamplatform.identity.codes.verified");

        await Host.VerifyAsync(registrationId, wrong);
        Assert.Equal(1, refused.Sum(("reason", "otp_invalid")));
        for (var i = 1; i < 5; i++)
        {
            await Host.VerifyAsync(registrationId, wrong);
        }

        await Host.VerifyAsync(registrationId, code); // the right code, too late

        Assert.Equal(4, refused.Sum(("purpose", OtpPurposes.Registration), ("reason", "otp_invalid")));
        Assert.Equal(2, refused.Sum(("reason", "otp_locked")));
        Assert.Equal(1, locked.Sum(("purpose", OtpPurposes.Registration)));
        Assert.Equal(0, verified.Sum());
        Assert.All(refused.GetMeasurementSnapshot(), m => Assert.Equal(["purpose", "reason"], m.Tags.Keys.Order()));
    }

    [Fact]
    public async Task Logins_count_as_ok_or_refused_with_the_reason()
    {
        var org = await Host.CreateOrganisationAsync();
        await Host.JoinAsync(org.Slug); // the second admin
        var waiting = await Host.JoinAsync(org.Slug);
        Assert.Equal(MemberStatuses.PendingApproval, waiting.Status);
        using var logins = Collect("teamplatform.identity.logins");

        await Host.LoginAsync(org.Slug, org.Creator);
        var wrongPassword = await Host.PasswordGrantAsync(org.Slug, org.Creator.Phone, "not the password at all");
        var pending = await Host.PasswordGrantAsync(org.Slug, waiting.Phone, waiting.Password);
        var stranger = await Host.PasswordGrantAsync(org.Slug, TestPhones.New(), IdentityApi.Password);

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Equal(1, logins.Sum(("outcome", "ok")));
        Assert.Equal(2, logins.Sum(("outcome", "refused"), ("reason", LoginRefusals.InvalidCredentials)));
        Assert.Equal(1, logins.Sum(("outcome", "refused"), ("reason", LoginRefusals.PendingApproval)));
        Assert.Equal(4, logins.Sum());
    }

    [Fact]
    public async Task A_code_asked_for_again_too_soon_counts_one_refusal_of_the_resend_cooldown()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(await Host.StartRegistrationAsync(org.Slug, phone), "registrationId");
        using var refusals = Collect("teamplatform.identity.rate_limit.refusals");
        using var sent = Collect("teamplatform.identity.codes.sent");

        var tooSoon = await Host.CreateClient().PostAsync($"/api/registrations/{registrationId}/resend", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.Equal(1, refusals.Sum(("limit", RateLimits.ResendCooldown)));
        Assert.Equal(1, refusals.Sum());
        Assert.Equal(0, sent.Sum());
    }

    private Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long> Collect(string instrument) =>
        Host.Services.Collect<long>(IdentityMetrics.MeterName, instrument);
}
