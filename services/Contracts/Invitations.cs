namespace TeamPlatform.Contracts.V1;

public sealed record InvitationCreated(
    Guid OrgId,
    Guid InvitationId,
    string Phone,
    Guid InvitedBy,
    DateTimeOffset ExpiresAt,
    DateTimeOffset OccurredAt);

public sealed record InvitationRenewed(
    Guid OrgId,
    Guid InvitationId,
    Guid RenewedBy,
    DateTimeOffset ExpiresAt,
    DateTimeOffset OccurredAt);

public sealed record InvitationRevoked(
    Guid OrgId,
    Guid InvitationId,
    Guid RevokedBy,
    DateTimeOffset OccurredAt);

public sealed record InvitationAccepted(
    Guid OrgId,
    Guid InvitationId,
    Guid MemberId,
    DateTimeOffset OccurredAt);

/// <summary>Published once by the sweep; the invitation's status was already computed as expired on read.</summary>
public sealed record InvitationExpired(
    Guid OrgId,
    Guid InvitationId,
    DateTimeOffset ExpiredAt,
    DateTimeOffset OccurredAt);
