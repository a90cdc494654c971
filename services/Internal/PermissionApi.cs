using System.Text.Json;

namespace TeamPlatform.Internal;

// The permission service's internal API (docs/internal-api.md): served by its endpoints, called by PermissionClient.
// An access document is permission's to read: other services carry it as JSON, unread.

/// <summary><c>POST /internal/members</c>: identity, at OTP verification.</summary>
public sealed record RegisterMemberRequest(
    Guid RegistrationId,
    Guid OrgId,
    string? Username,
    string? Phone,
    string? Via,
    int? AutoAdminCount,
    Guid? InvitationId,
    Guid? InvitedBy,
    JsonElement? Access);

/// <param name="GroupIds">The staff preset's groups, as <see cref="EffectivePermissionsResponse.GroupIds"/>.</param>
/// <param name="Permissions">The member's effective permissions at <paramref name="Revision"/>, as <see cref="EffectivePermissionsResponse.Permissions"/>.</param>
public sealed record RegisterMemberResponse(
    Guid MemberId,
    string Status,
    bool IsAdmin,
    string Role,
    long Revision,
    IReadOnlyList<Guid> GroupIds,
    IReadOnlyDictionary<string, JsonElement> Permissions);

/// <summary><c>GET /internal/orgs/{orgId}/members/{memberId}</c>: identity, at every password and refresh grant.</summary>
public sealed record MemberStatusResponse(Guid MemberId, Guid OrgId, string Username, string Phone, string Status, bool IsAdmin, string Role);

/// <summary><c>POST /internal/permissions/check</c>: the public check's semantics for a member the calling service names.</summary>
public sealed record PermissionCheckRequest(
    Guid OrgId,
    Guid MemberId,
    string? Permission,
    string? Action = null,
    Guid[]? GroupIds = null,
    string? ConversationId = null,
    long? MinRevision = null);

public sealed record PermissionCheckResponse(bool Allowed, string Reason, long Revision, string Status, bool IsAdmin);

/// <summary>
/// What a member may do right now: the answer of <c>GET /internal/orgs/{orgId}/members/{memberId}/effective-permissions</c>
/// (identity, for <c>GET /api/me</c>) and of the public <c>GET /api/members/{id}/effective-permissions</c>.
/// </summary>
public sealed record EffectivePermissionsResponse(
    Guid MemberId,
    string Status,
    string Role,
    bool IsAdmin,
    IReadOnlyList<Guid> GroupIds,
    IReadOnlyDictionary<string, JsonElement> Permissions,
    long Revision);

/// <summary><c>POST /internal/orgs/{orgId}/invitation-checks</c>: invitation, before creating one.</summary>
public sealed record InvitationCheckRequest(Guid ActorId, string? Phone, JsonElement? Access);

/// <param name="Access">The access document as permission normalised it.</param>
public sealed record InvitationCheckResponse(string InviterUsername, JsonElement Access);
