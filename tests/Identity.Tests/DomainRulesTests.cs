using System.Text;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Features;
using Xunit;

namespace TeamPlatform.Identity.Tests;

public sealed class DomainRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly OtpHasher Hasher = new(Encoding.UTF8.GetBytes("unit-test-otp-key-0123456789abcdef"));

    /// <summary>The code a refusal is answered with, through the service's one map.</summary>
    internal static string? CodeOf(Refusal? refusal) =>
        refusal is null ? null : (string?)Problems.For(refusal).ProblemDetails.Extensions["code"];

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

        Assert.Equal(error, CodeOf(settings.Validate()));
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

        Assert.Equal("chatbot_number", CodeOf(organisation.AllowsPhone("+254711000000")));
        Assert.Null(organisation.AllowsPhone("+254711000001"));
        Assert.Equal("registration_closed", CodeOf(organisation.AllowsSelfRegistration(invited: false)));
        Assert.Null(organisation.AllowsSelfRegistration(invited: true));
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

        var answers = Enumerable.Range(0, 5).Select(_ => LoginRefusals.Of(credential.RecordFailedLogin(policy, Now))).ToList();

        Assert.Equal(["invalid_credentials", "invalid_credentials", "invalid_credentials", "invalid_credentials", "account_locked"], answers);
        Assert.Equal("account_locked", LoginRefusals.Of(credential.EnsureNotLockedOut(Now.AddMinutes(4))!));
        Assert.Null(credential.EnsureNotLockedOut(Now.AddMinutes(5)));
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

        Assert.Equal("invalid_credentials", LoginRefusals.Of(credential.RecordFailedLogin(LockoutPolicy.Default, Now)));
    }

    [Fact]
    public void A_completed_registration_answers_its_last_code_again_and_nothing_else()
    {
        var registration = Registration.Start(
            Guid.NewGuid(), RegistrationKind.SelfRegistration, "amina", "+254711000000", "hash", null, Hasher, OtpPolicy.Default, Now,
            TimeSpan.FromHours(24), out var code);
        Assert.Null(registration.VerifyCode(Hasher, OtpPolicy.Default, code, Now));
        registration.Complete(new RegisteredMember(Guid.NewGuid(), "active", true), Now);

        Assert.Null(registration.VerifyCode(Hasher, OtpPolicy.Default, code, Now.AddHours(1)));
        Assert.Equal("otp_invalid", CodeOf(registration.VerifyCode(Hasher, OtpPolicy.Default, code == "000000" ? "111111" : "000000", Now)));
        Assert.Equal("conflict", CodeOf(registration.Resend(Hasher, OtpPolicy.Default, Now.AddHours(1), out _)));
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

        Assert.Equal("otp_expired", CodeOf(registration.VerifyCode(Hasher, OtpPolicy.Default, code, Now.AddHours(24))));
        Assert.Equal("otp_expired", CodeOf(registration.Resend(Hasher, OtpPolicy.Default, Now.AddHours(24), out _)));
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
        Assert.Equal("otp_invalid", CodeOf(reset.Complete(Hasher, OtpPolicy.Default, "123456", Now)));
    }

    [Fact]
    public void A_reset_works_once()
    {
        var reset = PasswordReset.Start(Guid.NewGuid(), Guid.NewGuid(), Hasher, OtpPolicy.Default, Now, out var code);

        Assert.Null(reset.Complete(Hasher, OtpPolicy.Default, code, Now));
        Assert.Equal("otp_expired", CodeOf(reset.Complete(Hasher, OtpPolicy.Default, code, Now)));
    }

    [Theory]
    [InlineData(RefusalKind.Invalid, "validation_failed", 400)]
    [InlineData(RefusalKind.InvalidPhone, "invalid_phone", 400)]
    [InlineData(RefusalKind.WeakPassword, "weak_password", 400)]
    [InlineData(RefusalKind.ChatbotNumber, "chatbot_number", 400)]
    [InlineData(RefusalKind.RegistrationClosed, "registration_closed", 403)]
    [InlineData(RefusalKind.OtpInvalid, "otp_invalid", 400)]
    [InlineData(RefusalKind.OtpExpired, "otp_expired", 400)]
    [InlineData(RefusalKind.OtpLocked, "otp_locked", 400)]
    [InlineData(RefusalKind.AlreadyVerified, "conflict", 409)]
    [InlineData(RefusalKind.TooSoon, "rate_limited", 429)]
    public void Each_refusal_kind_is_answered_with_its_code_status_and_the_rules_words(RefusalKind kind, string code, int status)
    {
        var problem = Problems.For(new Refusal(kind, "the rule's words"));

        Assert.Equal((code, status, "the rule's words"), ((string?)problem.ProblemDetails.Extensions["code"], problem.StatusCode, problem.ProblemDetails.Detail));
    }

    [Fact]
    public void A_login_refusal_is_the_token_endpoints_never_a_problem()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Problems.For(new Refusal(RefusalKind.AccountLocked, "locked")));
        Assert.Equal("account_locked", LoginRefusals.Of(new Refusal(RefusalKind.AccountLocked, "locked")));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoginRefusals.Of(Refusal.Invalid("not a login's")));
    }
}
