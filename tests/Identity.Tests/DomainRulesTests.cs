using System.Text;
using TeamPlatform.Identity.Domain;
using Xunit;

namespace TeamPlatform.Identity.Tests;

public sealed class DomainRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly OtpHasher Hasher = new(Encoding.UTF8.GetBytes("unit-test-otp-key-0123456789abcdef"));

    [Theory]
    [InlineData("abc", true)]
    [InlineData("hope-chapel-2", true)]
    [InlineData("ab", false)]
    [InlineData("Hope", false)]
    [InlineData("hope_chapel", false)]
    [InlineData("hopé", false)]
    [InlineData("a234567890123456789012345678901234567890", true)]
    [InlineData("a2345678901234567890123456789012345678901", false)]
    public void Slugs_are_3_to_40_of_lowercase_letters_digits_and_hyphens(string slug, bool valid) =>
        Assert.Equal(valid, Slug.IsValid(slug));

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void Passwords_have_10_to_128_characters(int length, bool acceptable) =>
        Assert.Equal(acceptable, PasswordPolicy.IsAcceptable(new string('x', length)));

    [Theory]
    [InlineData(0, 30, "en", "validation_failed")]
    [InlineData(1, 0, "en", "validation_failed")]
    [InlineData(1, 91, "en", "validation_failed")]
    [InlineData(2, 30, "English", "validation_failed")]
    [InlineData(1, 1, "pt-BR", null)]
    [InlineData(5, 90, "sw", null)]
    public void Settings_follow_their_ranges(int autoAdminCount, int inviteTtlDays, string language, string? error)
    {
        var settings = OrganisationSettings.Default with { AutoAdminCount = autoAdminCount, InviteTtlDays = inviteTtlDays, Language = language };

        Assert.Equal(error, settings.Validate().Error?.Code);
    }

    [Fact]
    public void The_default_settings_are_the_specs()
    {
        var settings = OrganisationSettings.Default;

        Assert.Equal((2, 30, SelfRegistration.Approval, null, "en", true),
            (settings.AutoAdminCount, settings.InviteTtlDays, settings.SelfRegistration, settings.ChatbotPhone, settings.Language, settings.SmsFallback));
    }

    [Fact]
    public void Nobody_registers_with_the_chatbot_number_and_closed_registration_needs_an_invitation()
    {
        var organisation = Organisation.Propose("hope", "Hope", Now, TimeSpan.FromDays(1));
        organisation.Change(null, OrganisationSettings.Default with { ChatbotPhone = "+254711000000", SelfRegistration = SelfRegistration.Closed });

        Assert.Equal("chatbot_number", organisation.AllowsPhone("+254711000000").Error?.Code);
        Assert.True(organisation.AllowsPhone("+254711000001").Succeeded);
        Assert.Equal("registration_closed", organisation.AllowsSelfRegistration(invited: false).Error?.Code);
        Assert.True(organisation.AllowsSelfRegistration(invited: true).Succeeded);
    }

    [Fact]
    public void An_unverified_organisation_is_a_proposal_that_expires()
    {
        var organisation = Organisation.Propose("hope", "Hope", Now, TimeSpan.FromHours(24));

        Assert.False(organisation.IsExpiredProposal(Now.AddHours(23)));
        Assert.True(organisation.IsExpiredProposal(Now.AddHours(24)));
        organisation.Verify(Now.AddHours(1));
        Assert.False(organisation.IsExpiredProposal(Now.AddDays(3)));
    }

    [Fact]
    public void Five_wrong_passwords_lock_the_account_until_the_lockout_ends()
    {
        var credential = Credential.Create(Guid.NewGuid(), Guid.NewGuid(), "+254711000000", "amina", "hash", Now);
        var policy = LockoutPolicy.Default;

        var answers = Enumerable.Range(0, 5).Select(_ => credential.RecordFailedLogin(policy, Now).Code).ToList();

        Assert.Equal(["invalid_credentials", "invalid_credentials", "invalid_credentials", "invalid_credentials", "account_locked"], answers);
        Assert.Equal("account_locked", credential.EnsureNotLockedOut(Now.AddMinutes(4)).Error?.Code);
        Assert.True(credential.EnsureNotLockedOut(Now.AddMinutes(5)).Succeeded);
        Assert.Equal(0, credential.FailedLogins);
    }

    [Fact]
    public void A_successful_login_resets_the_count_of_failures()
    {
        var credential = Credential.Create(Guid.NewGuid(), Guid.NewGuid(), "+254711000000", "amina", "hash", Now);
        for (var i = 0; i < 4; i++)
        {
            credential.RecordFailedLogin(LockoutPolicy.Default, Now);
        }

        credential.RecordSuccessfulLogin();

        Assert.Equal("invalid_credentials", credential.RecordFailedLogin(LockoutPolicy.Default, Now).Code);
    }

    [Fact]
    public void A_completed_registration_answers_its_last_code_again_and_nothing_else()
    {
        var registration = Registration.Start(
            Guid.NewGuid(), RegistrationKind.SelfRegistration, "amina", "+254711000000", "hash", null, Hasher, OtpPolicy.Default, Now,
            TimeSpan.FromHours(24), out var code);
        Assert.True(registration.VerifyCode(Hasher, OtpPolicy.Default, code, Now).Succeeded);
        registration.Complete(new RegisteredMember(Guid.NewGuid(), "active", true), Now);

        Assert.True(registration.VerifyCode(Hasher, OtpPolicy.Default, code, Now.AddHours(1)).Succeeded);
        Assert.Equal("otp_invalid", registration.VerifyCode(Hasher, OtpPolicy.Default, code == "000000" ? "111111" : "000000", Now).Error?.Code);
        Assert.Equal("conflict", registration.Resend(Hasher, OtpPolicy.Default, Now.AddHours(1)).Error?.Code);
    }

    [Fact]
    public void The_invitation_token_and_password_hash_are_forgotten_once_the_registration_completes()
    {
        var registration = Registration.Start(
            Guid.NewGuid(), RegistrationKind.Invitation, "amina", "+254711000000", "hash", ("token", Guid.NewGuid()), Hasher, OtpPolicy.Default, Now,
            TimeSpan.FromHours(24), out _);

        registration.Complete(new RegisteredMember(Guid.NewGuid(), "active", false), Now);

        Assert.Null(registration.InvitationToken);
        Assert.Equal("", registration.PasswordHash);
    }

    [Fact]
    public void A_registration_expires_after_its_lifetime()
    {
        var registration = Registration.Start(
            Guid.NewGuid(), RegistrationKind.SelfRegistration, "amina", "+254711000000", "hash", null, Hasher, OtpPolicy.Default, Now,
            TimeSpan.FromHours(24), out var code);

        Assert.Equal("otp_expired", registration.VerifyCode(Hasher, OtpPolicy.Default, code, Now.AddHours(24)).Error?.Code);
        Assert.Equal("otp_expired", registration.Resend(Hasher, OtpPolicy.Default, Now.AddHours(24)).Error?.Code);
    }

    [Fact]
    public void A_session_id_is_a_version_7_uuid_of_its_start_and_ends_once()
    {
        var session = Session.Start(Guid.NewGuid(), Guid.NewGuid(), new string('x', 500), Now);

        Assert.Equal(7, session.Id.Version);
        Assert.Equal(Session.MaxClientLength, session.Client!.Length);
        Assert.True(session.End(SessionEndReasons.SignedOut, Now));
        Assert.False(session.End(SessionEndReasons.Blocked, Now));
        Assert.Equal(SessionEndReasons.SignedOut, session.EndReason);
    }

    [Fact]
    public void A_reset_for_an_unknown_phone_has_no_code_and_never_completes()
    {
        var reset = PasswordReset.Start(Guid.NewGuid(), memberId: null, Hasher, OtpPolicy.Default, Now, out var code);

        Assert.Equal("", code);
        Assert.Equal("otp_invalid", reset.Complete(Hasher, OtpPolicy.Default, "123456", Now).Error?.Code);
    }

    [Fact]
    public void A_reset_works_once()
    {
        var reset = PasswordReset.Start(Guid.NewGuid(), Guid.NewGuid(), Hasher, OtpPolicy.Default, Now, out var code);

        Assert.True(reset.Complete(Hasher, OtpPolicy.Default, code, Now).Succeeded);
        Assert.False(reset.Complete(Hasher, OtpPolicy.Default, code, Now).Succeeded);
    }
}
