namespace TeamPlatform.Invitations.Domain;

/// <summary>What an invitation is at a given moment. Expiry is computed from <see cref="Invitation.ExpiresAt"/>, never stored.</summary>
public enum InvitationStatus
{
    Pending,
    Expired,
    Accepted,
    Revoked,
}

/// <summary>Why the aggregate refused a transition; the endpoints turn each into a problem code.</summary>
public enum InvitationRefusal
{
    /// <summary>The token was presented with a phone other than the invited one (a forwarded link).</summary>
    PhoneMismatch,

    /// <summary>Already accepted: a link works once.</summary>
    Used,

    Revoked,

    /// <summary>The invitation is past its expiry; only renewal helps.</summary>
    Expired,

    /// <summary>Renewal asked of an invitation that is still pending.</summary>
    NotExpired,
}
