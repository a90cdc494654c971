using System.Diagnostics.Metrics;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Internal;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// Identity's work and trouble as an operator watches them (docs/operations.md). Tags name kinds of things —
/// a purpose, a reason, a limit — never a phone, a member or an organisation.
/// </summary>
public sealed class IdentityMetrics
{
    public const string MeterName = "TeamPlatform.Identity";

    private readonly Counter<long> _registrations;
    private readonly Counter<long> _codesSent;
    private readonly Counter<long> _codesVerified;
    private readonly Counter<long> _codesRefused;
    private readonly Counter<long> _codesLocked;
    private readonly Counter<long> _logins;
    private readonly Counter<long> _rateLimitRefusals;
    private readonly Counter<long> _registrationsCompletedFromEvent;

    public IdentityMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _registrations = meter.CreateCounter<long>(
            "teamplatform.identity.registrations", unit: "{registration}",
            description: "Registrations started (a code sent to prove the phone), by kind");
        _codesSent = meter.CreateCounter<long>(
            "teamplatform.identity.codes.sent", unit: "{code}", description: "One-time codes queued for delivery, by purpose");
        _codesVerified = meter.CreateCounter<long>(
            "teamplatform.identity.codes.verified", unit: "{code}", description: "One-time codes entered right, by purpose");
        _codesRefused = meter.CreateCounter<long>(
            "teamplatform.identity.codes.refused", unit: "{code}",
            description: "One-time codes refused, by purpose and reason (otp_invalid, otp_expired, otp_locked)");
        _codesLocked = meter.CreateCounter<long>(
            "teamplatform.identity.codes.locked", unit: "{code}",
            description: "One-time codes locked by too many wrong tries, by purpose");
        _logins = meter.CreateCounter<long>(
            "teamplatform.identity.logins", unit: "{login}",
            description: "Password logins, by outcome (ok, refused) and, when refused, reason");
        _rateLimitRefusals = meter.CreateCounter<long>(
            "teamplatform.identity.rate_limit.refusals", unit: "{request}",
            description: "Requests refused with 429 by identity's own caps, by limit");
        _registrationsCompletedFromEvent = meter.CreateCounter<long>(
            "teamplatform.identity.registrations.completed_from_event", unit: "{registration}",
            description: "Verified registrations whose own commit failed, completed later from permission's MemberRegistered");
    }

    public void RegistrationStarted(RegistrationKind kind) => _registrations.Add(1, Tag("kind", KindName(kind)));

    public void RegistrationCompletedFromEvent() => _registrationsCompletedFromEvent.Add(1);

    public void CodeSent(string purpose) => _codesSent.Add(1, Tag("purpose", purpose));

    public void CodeVerified(string purpose) => _codesVerified.Add(1, Tag("purpose", purpose));

    /// <param name="lockedNow">This wrong code was the one that locked the code.</param>
    public void CodeRefused(string purpose, Refusal refusal, bool lockedNow)
    {
        _codesRefused.Add(1, Tag("purpose", purpose), Tag("reason", ReasonOf(refusal)));
        if (lockedNow)
        {
            _codesLocked.Add(1, Tag("purpose", purpose));
        }
    }

    public void LoginSucceeded() => _logins.Add(1, Tag("outcome", "ok"));

    /// <param name="reason">One of <see cref="LoginRefusals"/>.</param>
    public void LoginRefused(string reason) => _logins.Add(1, Tag("outcome", "refused"), Tag("reason", reason));

    public void RateLimitRefused(string limit) => _rateLimitRefusals.Add(1, Tag("limit", limit));

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    private static string ReasonOf(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.OtpInvalid => ErrorCodes.OtpInvalid,
        RefusalKind.OtpExpired => ErrorCodes.OtpExpired,
        RefusalKind.OtpLocked => ErrorCodes.OtpLocked,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "Not a refusal of a code."),
    };

    private static string KindName(RegistrationKind kind) => kind switch
    {
        RegistrationKind.SelfRegistration => "self_registration",
        RegistrationKind.Invitation => "invitation",
        RegistrationKind.OrganisationCreation => "organisation_creation",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A registration kind without a name."),
    };
}

/// <summary>The limits behind identity's 429s, as <see cref="IdentityMetrics.RateLimitRefused"/> tags them.</summary>
public static class RateLimits
{
    /// <summary>The hourly caps on codes per phone and per client address.</summary>
    public const string CodeCap = "code_cap";

    /// <summary>A new code asked for before the resend cooldown passed.</summary>
    public const string ResendCooldown = "resend_cooldown";

    /// <summary>A password change while the account waits out a lock from wrong passwords.</summary>
    public const string WrongPasswords = "wrong_passwords";
}
