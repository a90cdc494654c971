namespace TeamPlatform.Invitations.Domain;

/// <summary>
/// Which rule of the aggregate refused a transition: its methods return it, null when the change may happen. The
/// words are the map's (<c>Features/Problems.cs</c>): an admin and an invitee are told the same refusal differently.
/// </summary>
public enum RefusalKind
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
