using System.Text.Json;

namespace TeamPlatform.Contracts.V1;

/// <summary>The values of a member's <c>status</c>.</summary>
public static class MemberStatuses
{
    public const string PendingApproval = "pending_approval";
    public const string Active = "active";
    public const string Blocked = "blocked";
    public const string Removed = "removed";
}

/// <summary>How a member came to be: <see cref="MemberRegistered.Via"/>.</summary>
public static class RegistrationRoutes
{
    public const string OrganisationCreation = "organisation_creation";
    public const string SelfRegistration = "registration";
    public const string Invitation = "invitation";
}

/// <summary>A member exists, after verifying their phone.</summary>
/// <param name="Status"><c>active</c> or <c>pending_approval</c>.</param>
/// <param name="Via">One of <see cref="RegistrationRoutes"/>.</param>
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
public sealed record MemberApprovalRequested(
    Guid OrgId,
    Guid MemberId,
    string Username,
    IReadOnlyList<ApprovalRecipient> Recipients,
    DateTimeOffset OccurredAt);

public sealed record ApprovalRecipient(Guid MemberId, string Phone);

/// <summary>
/// A member's status or access changed (approval, role, admin toggle, block, unblock, removal, or a group deletion
/// that took a group out of their grants), with what they hold at <paramref name="Revision"/>.
/// </summary>
/// <param name="PreviousStatus">The status before the change, so that subscribers can tell an approval.</param>
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
    DateTimeOffset? AccessExpiresAt = null);

/// <summary>
/// Who made an access change (<c>changedByKind</c>): a member (<c>changedBy</c> names them), time-bound access that ended
/// by itself (<c>changedBy</c> null), or the system (<c>changedBy</c> null).
/// </summary>
public static class ChangeKinds
{
    public const string Member = "member";
    public const string Expiry = "expiry";
    public const string System = "system";
}

/// <summary>A member was removed; the phone may register again as a new member.</summary>
public sealed record MemberRemoved(
    Guid OrgId,
    Guid MemberId,
    long Revision,
    Guid? RemovedBy,
    DateTimeOffset OccurredAt);

/// <summary>A member changed their own profile.</summary>
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
/// <param name="Reason"><c>blocked</c>, <c>removed</c>, <c>password_changed</c>, <c>password_reset</c>, <c>signed_out</c>, <c>refresh_token_reused</c>.</param>
public sealed record MemberSessionsRevoked(
    Guid OrgId,
    Guid MemberId,
    DateTimeOffset RevokedBefore,
    string? SessionId,
    string Reason,
    DateTimeOffset OccurredAt);
