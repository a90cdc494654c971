namespace TeamPlatform.Contracts.V1;

/// <summary>An admin invited a phone to join the organisation.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="InvitationId">The invitation.</param>
/// <param name="Phone">The invited phone, E.164.</param>
/// <param name="InvitedBy">The admin who invited.</param>
/// <param name="ExpiresAt">When the invitation's link stops working (UTC).</param>
/// <param name="OccurredAt">When the invitation was created (UTC).</param>
public sealed record InvitationCreated(
    Guid OrgId,
    Guid InvitationId,
    string Phone,
    Guid InvitedBy,
    DateTimeOffset ExpiresAt,
    DateTimeOffset OccurredAt);

/// <summary>An expired invitation got a new link and a new expiry.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="InvitationId">The invitation.</param>
/// <param name="RenewedBy">The admin who renewed it.</param>
/// <param name="ExpiresAt">The new expiry (UTC).</param>
/// <param name="OccurredAt">When the invitation was renewed (UTC).</param>
public sealed record InvitationRenewed(
    Guid OrgId,
    Guid InvitationId,
    Guid RenewedBy,
    DateTimeOffset ExpiresAt,
    DateTimeOffset OccurredAt);

/// <summary>An open invitation was revoked; its link no longer works.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="InvitationId">The invitation.</param>
/// <param name="RevokedBy">The admin who revoked it.</param>
/// <param name="OccurredAt">When the invitation was revoked (UTC).</param>
public sealed record InvitationRevoked(
    Guid OrgId,
    Guid InvitationId,
    Guid RevokedBy,
    DateTimeOffset OccurredAt);

/// <summary>The invitee registered and became a member.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="InvitationId">The invitation.</param>
/// <param name="MemberId">The member the invitee became.</param>
/// <param name="OccurredAt">When the invitation was accepted (UTC).</param>
public sealed record InvitationAccepted(
    Guid OrgId,
    Guid InvitationId,
    Guid MemberId,
    DateTimeOffset OccurredAt);

/// <summary>Published once by the sweep; the invitation's status was already computed as expired on read.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="InvitationId">The invitation.</param>
/// <param name="ExpiredAt">When the invitation expired (UTC).</param>
/// <param name="OccurredAt">When the sweep saw it (UTC).</param>
public sealed record InvitationExpired(
    Guid OrgId,
    Guid InvitationId,
    DateTimeOffset ExpiredAt,
    DateTimeOffset OccurredAt);
