namespace TeamPlatform.Internal;

// The identity service's internal API (docs/internal-api.md): served by its endpoint, called by IdentityClient.

/// <summary><c>GET /internal/sessions/revocations</c>: the gateway, at start.</summary>
public sealed record RevocationsResponse(IReadOnlyList<RevocationItem> Items);

/// <param name="SessionId">Null for all the member's sessions.</param>
public sealed record RevocationItem(Guid MemberId, Guid? SessionId, DateTimeOffset RevokedBefore);
