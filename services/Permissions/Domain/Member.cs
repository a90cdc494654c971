using TeamPlatform.Contracts.V1;

namespace TeamPlatform.Permissions.Domain;

public enum MemberStatus : byte
{
    PendingApproval,
    Active,
    Blocked,
    Removed,
}

public static class MemberStatusNames
{
    public static string NameOf(MemberStatus status) => status switch
    {
        MemberStatus.PendingApproval => MemberStatuses.PendingApproval,
        MemberStatus.Active => MemberStatuses.Active,
        MemberStatus.Blocked => MemberStatuses.Blocked,
        _ => MemberStatuses.Removed,
    };

    public static MemberStatus Parse(string name) =>
        TryParse(name, out var status) ? status : throw new ArgumentException($"Unknown member status '{name}'.", nameof(name));

    public static readonly IReadOnlyList<string> All =
        [MemberStatuses.PendingApproval, MemberStatuses.Active, MemberStatuses.Blocked, MemberStatuses.Removed];

    public static bool TryParse(string? name, out MemberStatus status)
    {
        status = name switch
        {
            MemberStatuses.PendingApproval => MemberStatus.PendingApproval,
            MemberStatuses.Active => MemberStatus.Active,
            MemberStatuses.Blocked => MemberStatus.Blocked,
            MemberStatuses.Removed => MemberStatus.Removed,
            _ => (MemberStatus)byte.MaxValue,
        };
        return status != (MemberStatus)byte.MaxValue;
    }
}

/// <summary>A member's status and access at one moment, for the audit trail and events.</summary>
public sealed record MemberState(MemberStatus Status, Access Access)
{
    public string Role => Access.Role;

    public bool IsAdmin => Access.IsAdmin;

    public bool IsActiveAdmin => Status == MemberStatus.Active && Access.IsAdmin;

    /// <summary>An active admin who stays one when <paramref name="lapse"/> (if any) ends: the kind an organisation never runs out of.</summary>
    public bool IsLastingAdmin(AccessLapse? lapse) => IsActiveAdmin && (lapse is null || lapse.Then.IsActiveAdmin);
}

/// <summary>
/// Time-bound access (docs/permissions.md#time-bound-access): at <see cref="At"/> the member's access ends and they
/// hold <see cref="Then"/> instead — what they held before the change, or the fallback the change named.
/// </summary>
public sealed record AccessLapse(DateTimeOffset At, MemberState Then);

/// <summary>
/// A member of an organisation: status and access. Transitions (docs/product.md#member): pending → active | blocked | removed;
/// active ⇄ blocked; any → removed, which is terminal (the phone may register again as a new member).
/// The rules that need the whole organisation (last admin, escalation) live on <see cref="Organisation"/>.
/// </summary>
public sealed class Member
{
    public const int MaxUsernameLength = 100;

    private Member()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    /// <summary>Identity's registration; creating the member again for it answers the same member.</summary>
    public Guid RegistrationId { get; private set; }

    public string Username { get; private set; } = "";

    /// <summary>E.164.</summary>
    public string Phone { get; private set; } = "";

    public MemberStatus Status { get; private set; }

    public Access Access { get; private set; } = Access.NoAccess;

    /// <summary>Copied from <see cref="Access"/> so that lists filter on columns.</summary>
    public bool IsAdmin { get; private set; }

    /// <summary>Copied from <see cref="Access"/>: <c>admin</c> while the toggle is on, else the preset.</summary>
    public string Role { get; private set; } = Roles.None;

    /// <summary>Copied from <see cref="Access"/>: every group the access names.</summary>
    public Guid[] GroupIds { get; private set; } = [];

    /// <summary>One of <see cref="RegistrationRoutes"/>.</summary>
    public string Via { get; private set; } = "";

    public Guid? InvitationId { get; private set; }

    public Guid? InvitedBy { get; private set; }

    /// <summary>Made admin automatically at registration (the creator and the first self-registrants).</summary>
    public bool AutoPromoted { get; private set; }

    /// <summary>The organisation's revision at this member's last change.</summary>
    public long Revision { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsActiveAdmin => Status == MemberStatus.Active && Access.IsAdmin;

    /// <summary>When the access of the last change ends; null for access that lasts until the next change.</summary>
    public DateTimeOffset? AccessExpiresAt { get; private set; }

    /// <summary>The status the member returns to at <see cref="AccessExpiresAt"/>.</summary>
    public MemberStatus? LapseStatus { get; private set; }

    /// <summary>The access the member returns to at <see cref="AccessExpiresAt"/>.</summary>
    public Access? LapseAccess { get; private set; }

    /// <summary>Copied from the lapse: the member is still an active admin after it, so the last-admin rule counts with a column.</summary>
    public bool LapseIsAdmin { get; private set; }

    /// <summary>The pending end of time-bound access, or null.</summary>
    public AccessLapse? Lapse => AccessExpiresAt is { } at && LapseStatus is { } status && LapseAccess is { } access
        ? new AccessLapse(at, new MemberState(status, access))
        : null;

    /// <summary>An active admin who stays one when their time-bound access ends: the kind the organisation may never run out of.</summary>
    public bool IsLastingAdmin => State.IsLastingAdmin(Lapse);

    /// <summary>Whether the access of the last change has ended at <paramref name="now"/> (a sweeper records it within a second).</summary>
    public bool HasLapsed(DateTimeOffset now) => AccessExpiresAt <= now;

    /// <summary>What the member may do now: a member who is not active holds nothing, whatever their access says.</summary>
    public PermissionSet EffectivePermissions => Status == MemberStatus.Active ? Access.Effective : PermissionSet.Empty;

    public MemberState State => new(Status, Access);

    public static Member Create(
        Guid orgId,
        MemberRegistration registration,
        MemberStatus status,
        Access access,
        bool autoPromoted,
        long revision,
        DateTimeOffset now)
    {
        var member = new Member
        {
            Id = Guid.CreateVersion7(now),
            OrgId = orgId,
            RegistrationId = registration.RegistrationId,
            Username = registration.Username,
            Phone = registration.Phone,
            Status = status,
            Via = registration.Via,
            InvitationId = registration.InvitationId,
            InvitedBy = registration.InvitedBy,
            AutoPromoted = autoPromoted,
            CreatedAt = now,
            ProfileAt = now,
        };
        member.Set(access, revision, now);
        return member;
    }

    public MemberGrant ToGrant() => MemberGrant.Of(Id, Status, Access, Revision, Lapse);

    /// <summary>
    /// Gives the member <paramref name="access"/>: role <c>none</c> blocks, any other role makes them active.
    /// <see cref="Organisation.ChangeAccess"/> refuses a removed member before.
    /// </summary>
    /// <param name="lapse">When the access given ends and what follows it; null for access that lasts (which cancels a pending lapse).</param>
    internal void ChangeAccess(Access access, AccessLapse? lapse, long revision, DateTimeOffset now)
    {
        Status = access.Preset == Preset.None ? MemberStatus.Blocked : MemberStatus.Active;
        SetLapse(lapse);
        Set(access, revision, now);
    }

    /// <summary>The time-bound access has ended: the member holds what the lapse named, and their access lasts again.</summary>
    internal void EndTimeBoundAccess(long revision, DateTimeOffset now)
    {
        if (Lapse is not { } lapse)
        {
            throw new InvalidOperationException("Only time-bound access ends by itself.");
        }

        Status = lapse.Then.Status;
        SetLapse(null);
        Set(lapse.Then.Access, revision, now);
    }

    internal void Remove(long revision, DateTimeOffset now)
    {
        Status = MemberStatus.Removed;
        SetLapse(null);
        Revision = revision;
        UpdatedAt = now;
    }

    internal void StripGroup(Guid group, long revision, DateTimeOffset now)
    {
        if (Lapse is { } lapse)
        {
            SetLapse(lapse with { Then = lapse.Then with { Access = lapse.Then.Access.WithoutGroup(group) } });
        }

        Set(Access.WithoutGroup(group), revision, now);
    }

    /// <summary>When identity's profile copied here was current; an older change arriving late is ignored.</summary>
    public DateTimeOffset ProfileAt { get; private set; }

    /// <summary>The member changed their profile in identity at <paramref name="asOf"/>.</summary>
    public void ChangeProfile(string username, string phone, DateTimeOffset asOf)
    {
        if (asOf < ProfileAt)
        {
            return;
        }

        Username = username;
        Phone = phone;
        ProfileAt = asOf;
    }

    private void SetLapse(AccessLapse? lapse)
    {
        AccessExpiresAt = lapse?.At;
        LapseStatus = lapse?.Then.Status;
        LapseAccess = lapse?.Then.Access;
        LapseIsAdmin = lapse?.Then.IsActiveAdmin ?? false;
    }

    private void Set(Access access, long revision, DateTimeOffset now)
    {
        Access = access;
        IsAdmin = access.IsAdmin;
        Role = access.Role;
        GroupIds = access.GroupIds.Order().ToArray();
        Revision = revision;
        UpdatedAt = now;
    }
}

/// <summary>What identity knows when it creates a member at OTP verification.</summary>
/// <param name="Via">One of <see cref="RegistrationRoutes"/>.</param>
/// <param name="InvitedAccess">The invitation's preset access; only with <see cref="RegistrationRoutes.Invitation"/>.</param>
public sealed record MemberRegistration(
    Guid RegistrationId,
    string Username,
    string Phone,
    string Via,
    Guid? InvitationId = null,
    Guid? InvitedBy = null,
    Access? InvitedAccess = null);
