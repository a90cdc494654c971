namespace TeamPlatform.Invitations.Domain;

/// <summary>What an invitation is at a given moment. Expiry is computed from <see cref="Invitation.ExpiresAt"/>, never stored.</summary>
public enum InvitationStatus
{
    Pending,
    Expired,
    Accepted,
    Revoked,
}
