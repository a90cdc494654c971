using System.Text.Json;

namespace TeamPlatform.Internal;

// The invitation service's internal API (docs/internal-api.md): served by its endpoints, called by InvitationClient.

/// <summary><c>POST /internal/invitations/validate</c>: identity, at registration with an invitation token.</summary>
public sealed record ValidateInvitationRequest(Guid OrgId, string? Token, string? Phone);

public sealed record ValidateInvitationResponse(Guid InvitationId, DateTimeOffset ExpiresAt);

/// <summary><c>POST /internal/invitations/accept</c>: identity, at OTP verification of such a registration.</summary>
public sealed record AcceptInvitationRequest(Guid OrgId, string? Token, string? Phone, Guid RegistrationId);

/// <param name="Access">The preset access document, for the member's creation (permission's <c>POST /internal/members</c>).</param>
public sealed record AcceptInvitationResponse(Guid InvitationId, JsonElement Access, Guid InvitedBy);
