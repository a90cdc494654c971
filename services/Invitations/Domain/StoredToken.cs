namespace TeamPlatform.Invitations.Domain;

/// <summary>
/// The secret of an invitation link as it is kept: the SHA-256 hash it is looked up by, and the token itself
/// encrypted, only so that an admin can copy the same link again. The plain token is never stored.
/// </summary>
public sealed record StoredToken(byte[] Hash, string Protected);
