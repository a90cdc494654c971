namespace TeamPlatform.Invitations.Domain;

/// <summary>Something that happened to an invitation; collected on the aggregate and published when it is saved.</summary>
public abstract record InvitationEvent(DateTimeOffset OccurredAt)
{
    public sealed record Created(DateTimeOffset OccurredAt) : InvitationEvent(OccurredAt);

    public sealed record Renewed(Guid RenewedBy, DateTimeOffset OccurredAt) : InvitationEvent(OccurredAt);

    public sealed record Revoked(Guid RevokedBy, DateTimeOffset OccurredAt) : InvitationEvent(OccurredAt);

    public sealed record Accepted(Guid MemberId, DateTimeOffset OccurredAt) : InvitationEvent(OccurredAt);

    public sealed record Expired(DateTimeOffset ExpiredAt, DateTimeOffset OccurredAt) : InvitationEvent(OccurredAt);
}
