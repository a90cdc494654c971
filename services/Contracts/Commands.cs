namespace TeamPlatform.Contracts.V1;

/// <summary>
/// Internal commands to the notification service. They carry secrets (codes, links), so they are sent
/// to its queue, never published to an exchange that outsiders may bind to.
/// </summary>
public static class CommandQueues
{
    public const string Notification = "notification-commands";
}

public static class OtpPurposes
{
    public const string Registration = "registration";
    public const string PasswordReset = "password_reset";
}

/// <summary>Deliver a one-time code over WhatsApp (template <c>otp</c> or <c>password_reset</c>).</summary>
public sealed record SendOtp(
    Guid RequestId,
    Guid OrgId,
    string OrganisationName,
    string Phone,
    string Code,
    string Purpose,
    string Language,
    DateTimeOffset ExpiresAt,
    DateTimeOffset OccurredAt);

/// <summary>Deliver an invitation link over WhatsApp, and by email when one is given.</summary>
public sealed record SendInvitation(
    Guid OrgId,
    Guid InvitationId,
    string OrganisationName,
    string InviterName,
    string Phone,
    string? Email,
    string Link,
    string Language,
    DateTimeOffset ExpiresAt,
    DateTimeOffset OccurredAt);
