using TeamPlatform.Contracts.V1;
using TeamPlatform.Invitations.Domain;

namespace TeamPlatform.Invitations.Infrastructure;

/// <summary>The public event (docs/invitations.md#events-for-outside-subscribers) each domain event becomes. No token or link ever leaves in one.</summary>
internal static class IntegrationEvents
{
    public static object From(Invitation invitation, InvitationEvent change) => change switch
    {
        InvitationEvent.Created created => new InvitationCreated(
            invitation.OrgId, invitation.Id, invitation.Phone, invitation.InvitedBy, invitation.ExpiresAt, created.OccurredAt),
        InvitationEvent.Renewed renewed => new InvitationRenewed(
            invitation.OrgId, invitation.Id, renewed.RenewedBy, invitation.ExpiresAt, renewed.OccurredAt),
        InvitationEvent.Revoked revoked => new InvitationRevoked(
            invitation.OrgId, invitation.Id, revoked.RevokedBy, revoked.OccurredAt),
        InvitationEvent.Accepted accepted => new InvitationAccepted(
            invitation.OrgId, invitation.Id, accepted.MemberId, accepted.OccurredAt),
        InvitationEvent.Expired expired => new InvitationExpired(
            invitation.OrgId, invitation.Id, expired.ExpiredAt, expired.OccurredAt),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "No public event for this change."),
    };
}
