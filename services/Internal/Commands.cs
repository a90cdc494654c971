using MassTransit;

namespace TeamPlatform.Internal.Commands;

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

/// <summary>
/// The commands that moved out of the public contracts. Their urn and exchange name stay the ones they had there, so
/// messages in flight and outbox rows written before the move are still read (docs/decisions/0021-contracts-package.md).
/// </summary>
public static class MovedCommands
{
    /// <summary>The namespace the commands had in the public contracts, as MassTransit named them by it.</summary>
    public const string FormerNamespace = "TeamPlatform.Contracts.V1";

    public static IReadOnlyList<Type> All { get; } = [typeof(SendOtp), typeof(SendInvitation)];
}

/// <summary>Deliver a one-time code over WhatsApp (template <c>otp</c> or <c>password_reset</c>).</summary>
[MessageUrn(MovedCommands.FormerNamespace + ":" + nameof(SendOtp))]
[EntityName(MovedCommands.FormerNamespace + ":" + nameof(SendOtp))]
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
[MessageUrn(MovedCommands.FormerNamespace + ":" + nameof(SendInvitation))]
[EntityName(MovedCommands.FormerNamespace + ":" + nameof(SendInvitation))]
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
