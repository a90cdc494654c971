using System.Text.Json;

namespace TeamPlatform.Console.Infrastructure.Api;

// The public API's shapes the console reads and sends (docs/identity.md, docs/permissions.md, docs/invitations.md,
// docs/notifications.md). Statuses stay the API's strings: the console shows them and sends them back, nothing more.

/// <summary>
/// A page of a list. <c>TotalIsLowerBound</c>: the list stopped counting at <c>Total</c> (a member search counts its
/// first 1,000 matches). <c>After</c>: the cursor of the next page, null on the last.
/// </summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, bool TotalIsLowerBound = false, string? After = null);

public sealed record RegistrationStarted(Guid RegistrationId, DateTimeOffset ExpiresAt);

public sealed record VerifiedMember(Guid MemberId, string Org, string Status, bool IsAdmin);

public sealed record CodeResent(DateTimeOffset ExpiresAt);

public sealed record PasswordResetStarted(Guid ResetId, DateTimeOffset ExpiresAt);

public sealed record Me(
    Guid Id,
    string Username,
    string Phone,
    string Status,
    string Role,
    bool IsAdmin,
    IReadOnlyList<Guid> GroupIds,
    DateTimeOffset CreatedAt,
    string Org,
    IReadOnlyDictionary<string, JsonElement> Permissions,
    IReadOnlyList<Guid>? GroupAdminOf = null)
{
    /// <summary>Whether an effective permission is on at all (any scope, any level above none).</summary>
    public bool Holds(string permission) => Permissions.TryGetValue(permission, out var value) && value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => value.GetString() is "view" or "create",
        JsonValueKind.Object => value.TryGetProperty("scope", out var scope) && scope.GetString() is "all" or "groups",
        _ => false,
    };

    public bool ManagesTeam => IsAdmin || Holds(Catalogue.AdminSettings);

    /// <summary>A group admin (docs/permissions.md#group-admins) who does not manage the team: the members of their groups are theirs.</summary>
    public bool AdministersGroups => !ManagesTeam && GroupAdminOf is { Count: > 0 };
}

public sealed record Organisation(Guid Id, string Slug, string Name, OrganisationSettings Settings, DateTimeOffset CreatedAt);

public sealed record OrganisationSettings(
    int AutoAdminCount,
    int InviteTtlDays,
    string SelfRegistration,
    string? ChatbotPhone,
    string Language,
    bool SmsFallback);

public sealed record MemberSummary(int PendingApproval, int Active, int Blocked, int Removed, int Admins);

public sealed record Member(
    Guid Id,
    string Username,
    string Phone,
    string Status,
    string Role,
    bool IsAdmin,
    IReadOnlyList<Guid> GroupIds,
    DateTimeOffset CreatedAt,
    AccessDocument Access,
    DateTimeOffset? AccessExpiresAt = null);

/// <summary>
/// The access document: a preset, the admin toggle, the staff groups or a custom permission set; with
/// <see cref="ExpiresAt"/> it ends by itself, in <see cref="Then"/> (docs/permissions.md#time-bound-access).
/// </summary>
public sealed record AccessDocument(
    string Role,
    bool? IsAdmin = null,
    IReadOnlyList<Guid>? GroupIds = null,
    IReadOnlyDictionary<string, JsonElement>? Permissions = null,
    DateTimeOffset? ExpiresAt = null,
    AccessDocument? Then = null,
    IReadOnlyList<Guid>? GroupAdminOf = null);

public sealed record AccessChanged(Member Member, long Revision);

/// <summary>One thing an access change gains or loses (docs/permissions.md#preview).</summary>
public sealed record AccessItem(
    string Change, string? Permission = null, string? Scope = null, Guid? GroupId = null, string? GroupName = null, string? From = null, string? To = null);

public sealed record AccessRefusal(string Code, string Detail);

/// <summary>What saving the access would gain and lose, and the refusal it would get; nothing of it is saved.</summary>
public sealed record AccessPreview(IReadOnlyList<AccessItem> Gains, IReadOnlyList<AccessItem> Losses, AccessRefusal? Refusal);

public sealed record Role([property: System.Text.Json.Serialization.JsonPropertyName("role")] string Name, string Description, IReadOnlyDictionary<string, JsonElement> Permissions);

public sealed record Group(Guid Id, string Name, DateTimeOffset CreatedAt);

public sealed record Invitation(
    Guid Id,
    string Phone,
    string? Email,
    string Status,
    string? Link,
    DateTimeOffset ExpiresAt,
    AccessDocument Access,
    Guid InvitedBy,
    DateTimeOffset CreatedAt);

public sealed record InvitationLink(string Link);

public sealed record InvitationPreview(
    string OrganisationName,
    string OrganisationSlug,
    string InviterUsername,
    string Phone,
    DateTimeOffset ExpiresAt,
    string Status,
    InvitationAccess Access);

public sealed record InvitationAccess(string Role, int GroupCount);

public sealed record Session(Guid Id, string? Client, DateTimeOffset CreatedAt, DateTimeOffset LastRefreshedAt, bool Current);

public sealed record AuditEntry(
    Guid Id,
    string Action,
    Guid? MemberId,
    string? MemberUsername,
    Guid? ActorId,
    string? ActorUsername,
    string? ConversationId,
    Guid? GroupId,
    JsonElement? Before,
    JsonElement? After,
    long Revision,
    DateTimeOffset OccurredAt,
    string? ChangedByKind = null);

/// <summary><c>GET /api/audit/verify</c>: whether the chain holds, and where it first breaks.</summary>
public sealed record AuditVerification(bool Intact, long Entries, AuditBreak? BrokenAt);

public sealed record AuditBreak(long Sequence, Guid? Id, string Reason);

public sealed record Delivery(
    Guid Id,
    string To,
    string Channel,
    string Provider,
    string Template,
    string Status,
    int Attempts,
    string? LastError,
    string Body,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? FailedAt);

/// <summary>A member's status, as the API spells it.</summary>
public static class MemberStatus
{
    public const string PendingApproval = "pending_approval";
    public const string Active = "active";
    public const string Blocked = "blocked";
    public const string Removed = "removed";
}

/// <summary>One row of an upload of invitations, and what happens (or happened) to it.</summary>
public sealed record BulkRow(int Row, string Phone, string Outcome, string? Code, string? Detail, Guid? InvitationId);

public sealed record BulkSummary(int Total, int Invite, int Skipped, IReadOnlyDictionary<string, int> Outcomes);

/// <summary>A dry run: what an upload would do.</summary>
public sealed record BulkCheck(IReadOnlyList<BulkRow> Rows, BulkSummary Summary);

/// <summary>An upload being sent: <c>queued</c>, <c>running</c>, then <c>completed</c>.</summary>
public sealed record BulkInvitation(
    Guid Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, int Invited, int Remaining, BulkSummary Summary, IReadOnlyList<BulkRow> Rows)
{
    public bool IsCompleted => Status == "completed";
}

/// <summary>
/// An endpoint the organisation's events go to. <c>DisabledReason</c>: <c>persistent_failure</c>
/// or <c>disabled_by_admin</c> while it is off.
/// </summary>
public sealed record Webhook(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string Description,
    bool Enabled,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record WebhookList(IReadOnlyList<Webhook> Items);

public sealed record WebhookEventTypes(IReadOnlyList<string> Items);

/// <summary>A new endpoint, with its signing secret: the one time it is shown, with rotation's.</summary>
public sealed record RegisteredWebhook(Guid Id, string Url, IReadOnlyList<string> EventTypes, string Description, bool Enabled, string Secret, DateTimeOffset CreatedAt);

/// <summary>A new signing secret; the previous one keeps signing until <c>PreviousSecretExpiresAt</c>.</summary>
public sealed record RotatedWebhookSecret(Guid Id, string Secret, DateTimeOffset PreviousSecretExpiresAt);

/// <summary>
/// One event sent (or being sent) to an endpoint. <c>MessageId</c> is the <c>webhook-id</c> header, the same on every
/// attempt and replay; <c>Payload</c> is null once past the days payloads are kept.
/// </summary>
public sealed record WebhookDelivery(
    Guid Id,
    string MessageId,
    string EventType,
    Guid EventId,
    string Status,
    int Attempts,
    int? LastResponseStatus,
    int? LastLatencyMs,
    string? LastError,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SucceededAt,
    DateTimeOffset? ReplayedAt,
    JsonElement? Payload);

public sealed record WebhookReplay(int Replayed);
