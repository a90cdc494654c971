using System.Text.Json;

namespace TeamPlatform.Contracts.V1;

/// <summary>The values of a member's <c>status</c>.</summary>
public static class MemberStatuses
{
    /// <summary>Registered, waiting for an admin's approval.</summary>
    public const string PendingApproval = "pending_approval";

    /// <summary>A member with access.</summary>
    public const string Active = "active";

    /// <summary>Blocked by an admin; no access until unblocked.</summary>
    public const string Blocked = "blocked";

    /// <summary>Removed from the organisation; the phone may register again.</summary>
    public const string Removed = "removed";
}

/// <summary>How a member came to be: <see cref="MemberRegistered.Via"/>.</summary>
public static class RegistrationRoutes
{
    /// <summary>The member created the organisation.</summary>
    public const string OrganisationCreation = "organisation_creation";

    /// <summary>The member registered through the organisation's registration route.</summary>
    public const string SelfRegistration = "registration";

    /// <summary>The member accepted an invitation.</summary>
    public const string Invitation = "invitation";
}

/// <summary>A member exists, after verifying their phone.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="MemberId">The new member.</param>
/// <param name="Username">The member's username.</param>
/// <param name="Phone">The member's phone, E.164.</param>
/// <param name="Status"><c>active</c> or <c>pending_approval</c>.</param>
/// <param name="IsAdmin">Whether the member is an admin.</param>
/// <param name="Role">The member's role preset.</param>
/// <param name="Via">One of <see cref="RegistrationRoutes"/>.</param>
/// <param name="InvitationId">The invitation accepted, when <paramref name="Via"/> is <c>invitation</c>.</param>
/// <param name="Revision">The organisation's access revision after the registration.</param>
/// <param name="OccurredAt">When the member was registered (UTC).</param>
/// <param name="RegistrationId">
/// Identity's registration that created the member; null in events published before the field was added.
/// </param>
public sealed record MemberRegistered(
    Guid OrgId,
    Guid MemberId,
    string Username,
    string Phone,
    string Status,
    bool IsAdmin,
    string Role,
    string Via,
    Guid? InvitationId,
    long Revision,
    DateTimeOffset OccurredAt,
    Guid? RegistrationId = null);

/// <summary>Someone waits for approval; the recipients are the organisation's active admins.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="MemberId">The member waiting for approval.</param>
/// <param name="Username">Their username.</param>
/// <param name="Recipients">The active admins, who are asked to approve.</param>
/// <param name="OccurredAt">When the approval was requested (UTC).</param>
public sealed record MemberApprovalRequested(
    Guid OrgId,
    Guid MemberId,
    string Username,
    IReadOnlyList<ApprovalRecipient> Recipients,
    DateTimeOffset OccurredAt);

/// <summary>An admin asked to approve a member.</summary>
/// <param name="MemberId">The admin.</param>
/// <param name="Phone">The admin's phone, E.164.</param>
public sealed record ApprovalRecipient(Guid MemberId, string Phone);

/// <summary>
/// A member's status or access changed (approval, role, admin toggle, block, unblock, removal, a group deletion
/// that took a group out of their grants, or the end of time-bound access), with what they hold at <paramref name="Revision"/>.
/// </summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="MemberId">The member whose access changed.</param>
/// <param name="Status">The member's status after the change (<see cref="MemberStatuses"/>).</param>
/// <param name="PreviousStatus">The status before the change, so that subscribers can tell an approval.</param>
/// <param name="IsAdmin">Whether the member is an admin after the change.</param>
/// <param name="Role">The member's role preset after the change.</param>
/// <param name="Revision">The organisation's access revision after the change.</param>
/// <param name="OccurredAt">When the access changed (UTC).</param>
/// <param name="GroupIds">
/// The staff preset's groups (empty for the other presets), as <c>effective-permissions</c> answers them; null in
/// events published before the field was added.
/// </param>
/// <param name="Permissions">
/// The effective permissions at <paramref name="Revision"/>, every catalogue name with its scope, level or toggle
/// (all off for a member who is not active), as <c>effective-permissions</c> answers them; null in events published
/// before the field was added.
/// </param>
/// <param name="ChangedBy">The member who made the change; null when <paramref name="ChangedByKind"/> is not <c>member</c>.</param>
/// <param name="ChangedByKind">One of <see cref="ChangeKinds"/>: <c>expiry</c> when time-bound access ended by itself.</param>
/// <param name="AccessExpiresAt">When the access held after the change ends by itself; null when it lasts.</param>
/// <param name="GroupAdminOf">
/// The groups the member administers after the change (empty while not active); null in events published before the field
/// was added.
/// </param>
public sealed record MemberAccessChanged(
    Guid OrgId,
    Guid MemberId,
    string Status,
    string PreviousStatus,
    bool IsAdmin,
    string Role,
    long Revision,
    Guid? ChangedBy,
    DateTimeOffset OccurredAt,
    IReadOnlyList<Guid>? GroupIds = null,
    IReadOnlyDictionary<string, JsonElement>? Permissions = null,
    string ChangedByKind = ChangeKinds.Member,
    DateTimeOffset? AccessExpiresAt = null,
    IReadOnlyList<Guid>? GroupAdminOf = null);

/// <summary>
/// Who made an access change (<c>changedByKind</c>): a member (<c>changedBy</c> names them), time-bound access that ended
/// by itself (<c>changedBy</c> null), or the system (<c>changedBy</c> null).
/// </summary>
public static class ChangeKinds
{
    /// <summary>A member changed it; <c>changedBy</c> names them.</summary>
    public const string Member = "member";

    /// <summary>Time-bound access ended at its <c>expiresAt</c>.</summary>
    public const string Expiry = "expiry";

    /// <summary>TeamPlatform itself changed it, as part of something no member asked for directly.</summary>
    public const string System = "system";
}

/// <summary>A member was removed; the phone may register again as a new member.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="MemberId">The removed member.</param>
/// <param name="Revision">The organisation's access revision after the removal.</param>
/// <param name="RemovedBy">The admin who removed the member; null when no one did.</param>
/// <param name="OccurredAt">When the member was removed (UTC).</param>
public sealed record MemberRemoved(
    Guid OrgId,
    Guid MemberId,
    long Revision,
    Guid? RemovedBy,
    DateTimeOffset OccurredAt);

/// <summary>A member changed their own profile.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="MemberId">The member.</param>
/// <param name="Username">The username after the change.</param>
/// <param name="Phone">The phone after the change, E.164.</param>
/// <param name="OccurredAt">When the profile changed (UTC).</param>
public sealed record MemberProfileChanged(
    Guid OrgId,
    Guid MemberId,
    string Username,
    string Phone,
    DateTimeOffset OccurredAt);

/// <summary>
/// Access tokens of the member issued before <paramref name="RevokedBefore"/> must be refused
/// (or only those of one session when <paramref name="SessionId"/> is set).
/// </summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="MemberId">The member whose sessions are revoked.</param>
/// <param name="RevokedBefore">Tokens issued before this instant are dead (UTC).</param>
/// <param name="SessionId">The one session revoked, or null for all of them.</param>
/// <param name="Reason"><c>blocked</c>, <c>removed</c>, <c>password_changed</c>, <c>password_reset</c>, <c>signed_out</c>, <c>refresh_token_reused</c>.</param>
/// <param name="OccurredAt">When the sessions were revoked (UTC).</param>
public sealed record MemberSessionsRevoked(
    Guid OrgId,
    Guid MemberId,
    DateTimeOffset RevokedBefore,
    string? SessionId,
    string Reason,
    DateTimeOffset OccurredAt);

/// <summary>A member signed in: a new session began (published with the login's commit, never for a refused login).</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="MemberId">The member who signed in.</param>
/// <param name="SessionId">The session the sign-in began.</param>
/// <param name="OccurredAt">When the member signed in (UTC).</param>
public sealed record MemberSignedIn(
    Guid OrgId,
    Guid MemberId,
    Guid SessionId,
    DateTimeOffset OccurredAt);
