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
    IReadOnlyDictionary<string, JsonElement> Permissions,
    IReadOnlyList<Guid>? GroupAdminOf = null);

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
    long Revision,
    IReadOnlyList<Guid>? GroupAdminOf = null);

/// <summary><c>POST /internal/orgs/{orgId}/invitation-checks</c>: invitation, before creating one.</summary>
public sealed record InvitationCheckRequest(Guid ActorId, string? Phone, JsonElement? Access);

/// <param name="Access">The access document as permission normalised it.</param>
public sealed record InvitationCheckResponse(string InviterUsername, JsonElement Access);

/// <summary>
/// <c>POST /internal/orgs/{orgId}/invitation-checks/batch</c>: invitation, for a bulk upload. The single check's rules,
/// row by row, in one call; a refusal of the whole batch (the actor may not manage the team) is a problem as for one.
/// </summary>
public sealed record InvitationBatchCheckRequest(Guid ActorId, IReadOnlyList<InvitationBatchRow>? Rows);

/// <param name="Preset">The role of the access document (<c>admin</c>, <c>manager</c>, <c>staff</c>, <c>custom</c>).</param>
/// <param name="Groups">Group ids or names (case-insensitive); permission resolves them to ids.</param>
public sealed record InvitationBatchRow(string? Phone, string? Preset, IReadOnlyList<string>? Groups);

public sealed record InvitationBatchCheckResponse(string InviterUsername, IReadOnlyList<InvitationBatchResult> Rows);

/// <param name="Outcome">One of <see cref="InvitationRowOutcomes"/>: <c>invite</c>, or why the row cannot be invited.</param>
/// <param name="Code">The error code the single invitation would have been refused with.</param>
/// <param name="Access">For <c>invite</c>: the access document as permission normalised it.</param>
public sealed record InvitationBatchResult(string Outcome, string? Code, string? Detail, JsonElement? Access);

/// <summary>What happens to one row of a bulk invitation (docs/invitations.md#bulk-invitations).</summary>
public static class InvitationRowOutcomes
{
    public const string Invite = "invite";
    public const string AlreadyMember = "already_member";
    public const string AlreadyInvited = "already_invited";
    public const string InvalidPhone = "invalid_phone";
    public const string ChatbotNumber = "chatbot_number";
    public const string Escalation = "escalation";
    public const string DuplicateRow = "duplicate_row";
    public const string UnknownPreset = "unknown_preset";
    public const string UnknownGroup = "unknown_group";

    /// <summary>An access document the rules refuse for an invitation (role <c>none</c>, groups without <c>staff</c>).</summary>
    public const string InvalidAccess = "invalid_access";

    /// <summary>The actor lost the right to invite before the row was sent.</summary>
    public const string Forbidden = "forbidden";
}

/// <summary><c>GET /internal/orgs/{orgId}/admins</c>: notification, to tell the admins what concerns admins alone.</summary>
public sealed record OrganisationAdminsResponse(IReadOnlyList<AdminContact> Admins);

/// <summary>An active admin and where to reach them.</summary>
public sealed record AdminContact(Guid MemberId, string Username, string Phone);
