using TeamPlatform.Contracts.V1;

namespace TeamPlatform.Permissions.Domain;

/// <summary>A change of one member's status or access, with the organisation's revision it produced.</summary>
public sealed record AccessChange(Member Member, MemberState Before, MemberState After, long Revision)
{
    /// <summary>The end of time-bound access pending before the change.</summary>
    public AccessLapse? LapseBefore { get; init; }

    /// <summary>The end of time-bound access pending after it: extending or ending it early is a change too.</summary>
    public AccessLapse? LapseAfter { get; init; }

    public bool Changed => Before != After || LapseBefore != LapseAfter;
}

/// <summary>
/// The organisation as the permission service sees it: how many admins registration may still promote,
/// and the revision every access change bumps. Every change goes through here with the organisation's row
/// locked, so the rules that count admins hold under concurrent requests.
/// </summary>
public sealed class Organisation
{
    public const int DefaultAutoAdminCount = 2;

    private Organisation()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>How many members registration promotes to admin, the creator included (docs/product.md#first-admins).</summary>
    public int AutoAdminCount { get; private set; } = DefaultAutoAdminCount;

    /// <summary>How many members registration has promoted. Never decreases: a demotion does not re-open a slot.</summary>
    public int AutoPromoted { get; private set; }

    /// <summary>Bumped by every change that can alter a check's answer; checks answer it.</summary>
    public long Revision { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the settings applied were current; older settings arriving late are ignored.</summary>
    public DateTimeOffset SettingsAt { get; private set; }

    /// <summary>
    /// Members by status, kept with every change (all of which hold the organisation's lock), so that the team
    /// list and its summary never count 100,000 rows to say how many there are.
    /// </summary>
    public int PendingMembers { get; private set; }

    public int ActiveMembers { get; private set; }

    public int BlockedMembers { get; private set; }

    public int RemovedMembers { get; private set; }

    /// <summary>The sequence of the audit chain's last entry; 0 before its genesis entry.</summary>
    public long AuditSequence { get; private set; }

    /// <summary>The hash of the audit chain's last entry (docs/permissions.md#audit-chain); null before its genesis entry.</summary>
    public byte[]? AuditHead { get; private set; }

    /// <summary>
    /// Appends <paramref name="entry"/> to the organisation's audit chain and answers what to store: the entry, preceded
    /// by the chain's genesis entry when it is the first. The head kept here (every writer holds the organisation's
    /// lock) is the previous hash, so appending reads no earlier entry.
    /// </summary>
    public IReadOnlyList<AuditEntry> Audit(AuditEntry entry)
    {
        if (entry.OrgId != Id || entry.IsChained)
        {
            throw new ArgumentException("An entry is chained once, by its own organisation.", nameof(entry));
        }

        if (AuditSequence > 0)
        {
            Append(entry);
            return [entry];
        }

        var genesis = AuditEntry.Genesis(Id, CreatedAt);
        Append(genesis);
        Append(entry);
        return [genesis, entry];
    }

    private void Append(AuditEntry entry)
    {
        entry.Chain(AuditSequence + 1, AuditHead ?? AuditChain.Origin);
        AuditSequence = entry.Sequence;
        AuditHead = entry.Hash;
    }

    public int MembersWith(MemberStatus status) => status switch
    {
        MemberStatus.PendingApproval => PendingMembers,
        MemberStatus.Active => ActiveMembers,
        MemberStatus.Blocked => BlockedMembers,
        _ => RemovedMembers,
    };

    public static Organisation Create(Guid id, int autoAdminCount, DateTimeOffset now) => new()
    {
        Id = id,
        AutoAdminCount = Math.Max(1, autoAdminCount),
        CreatedAt = now,
        SettingsAt = now,
    };

    /// <summary>Takes the organisation's settings as identity had them at <paramref name="asOf"/>, unless newer ones were applied.</summary>
    public void ApplySettings(int autoAdminCount, DateTimeOffset asOf)
    {
        if (asOf < SettingsAt)
        {
            return;
        }

        AutoAdminCount = Math.Max(1, autoAdminCount);
        SettingsAt = asOf;
    }

    /// <summary>
    /// Creates the member identity has just verified. The creator is an admin; the next self-registrants are
    /// admins until <see cref="AutoAdminCount"/> members have been promoted; invited members get exactly their
    /// invitation's access (<see cref="CheckInvitedAccess"/> first) and never count; everyone else waits for approval.
    /// </summary>
    public Member Register(MemberRegistration registration, DateTimeOffset now)
    {
        var (status, access, promoted) = registration.Via switch
        {
            RegistrationRoutes.OrganisationCreation => (MemberStatus.Active, Access.AutoAdmin, true),
            RegistrationRoutes.SelfRegistration when AutoPromoted < AutoAdminCount => (MemberStatus.Active, Access.AutoAdmin, true),
            RegistrationRoutes.SelfRegistration => (MemberStatus.PendingApproval, Access.NoAccess, false),
            RegistrationRoutes.Invitation when registration.InvitedAccess is { } invited && CheckInvitedAccess(invited) is null =>
                (MemberStatus.Active, invited, false),
            // The request's validation and CheckInvitedAccess come first: reaching here is a defect, not a refusal.
            _ => throw new ArgumentException($"A registration via '{registration.Via}' without the access it needs.", nameof(registration)),
        };

        if (promoted)
        {
            AutoPromoted++;
        }

        Moved(null, status);
        return Member.Create(Id, registration, status, access, promoted, ++Revision, now);
    }

    /// <summary>An invitation gives access: role <c>none</c> (blocked) cannot be preset.</summary>
    public static Refusal? CheckInvitedAccess(Access access) => access.Preset == Preset.None ? InvitedWithoutAccess : null;

    /// <summary>The longest time-bound access: a year and a day, so that "for a year" fits.</summary>
    public static readonly TimeSpan MaxTimeBound = TimeSpan.FromDays(366);

    /// <summary>
    /// Sets <paramref name="target"/>'s access from <paramref name="document"/> on behalf of <paramref name="actor"/>.
    /// Refuses an actor who may not manage the team, a bad document, more than the actor holds, a removed target,
    /// and a change that would leave no lasting admin (docs/permissions.md#time-bound-access): an organisation always has
    /// an active admin whose access does not end by itself. <paramref name="change"/> is the change made (none when refused).
    /// </summary>
    /// <param name="lastingAdmins">The organisation's lasting admins (<see cref="Member.IsLastingAdmin"/>), counted under the organisation's lock.</param>
    public Refusal? ChangeAccess(Member actor, Member target, AccessDocument document, int lastingAdmins, DateTimeOffset now, out AccessChange change)
    {
        var before = target.State;
        var lapseBefore = target.Lapse;
        change = new AccessChange(target, before, before, Revision) { LapseBefore = lapseBefore, LapseAfter = lapseBefore };
        if (TeamPolicy.EnsureMayManageMembers(actor) is { } forbidden)
        {
            return forbidden;
        }

        if (Requested(target, document, out var after) is { } invalid)
        {
            return invalid;
        }

        if (TimeBound(target, document, after, now, out var lapse) is { } invalidLapse)
        {
            return invalidLapse;
        }

        var requested = after.Access;

        var escalation = TeamPolicy.MayManageTeam(actor)
            ? TeamPolicy.EnsureMayGrant(actor, target, requested)
              ?? TeamPolicy.EnsureMayAppoint(actor, target.Access, requested)
              ?? (document.Then is null || lapse is null
                  ? null
                  : TeamPolicy.EnsureMayGrant(actor, target, lapse.Then.Access) ?? TeamPolicy.EnsureMayAppoint(actor, target.Access, lapse.Then.Access))
            : TeamPolicy.EnsureWithinGroups(actor, before, lapseBefore, after, lapse);
        if (escalation is not null)
        {
            return escalation;
        }

        if (target.IsLastingAdmin && !after.IsLastingAdmin(lapse) && lastingAdmins <= 1)
        {
            return LastAdmin;
        }

        if (target.Status == MemberStatus.Removed)
        {
            return RemovedMember;
        }

        if (before == after && lapseBefore == lapse)
        {
            return null;
        }

        target.ChangeAccess(requested, lapse, Revision + 1, now);
        Moved(before.Status, target.Status);
        change = new AccessChange(target, before, target.State, ++Revision) { LapseBefore = lapseBefore, LapseAfter = lapse };
        return null;
    }

    /// <summary>
    /// The status and access <paramref name="document"/> asks for <paramref name="target"/>, whoever asks and whatever
    /// the other rules say: role <c>none</c> blocks, any other role makes the member active. Refuses a bad document.
    /// <see cref="ChangeAccess"/> applies it; a preview shows it beside the refusal a change would get.
    /// </summary>
    public static Refusal? Requested(Member target, AccessDocument document, out MemberState requested)
    {
        requested = target.State;
        if (document.Resolve(target.Access, out var access) is { } invalid)
        {
            return invalid;
        }

        requested = new MemberState(access.Preset == Preset.None ? MemberStatus.Blocked : MemberStatus.Active, access);
        return null;
    }

    /// <summary>
    /// When the access <paramref name="document"/> gives ends, and what follows: its <c>then</c>, else the last access
    /// that lasted (what the member held before, or what a pending lapse would have returned them to). Null when the
    /// document gives lasting access, which cancels a pending lapse.
    /// </summary>
    public static Refusal? TimeBound(Member target, AccessDocument document, MemberState requested, DateTimeOffset now, out AccessLapse? lapse)
    {
        lapse = null;
        if (document.ExpiresAt is not { } expiresAt)
        {
            return document.Then is null ? null : Refusal.Invalid("then is accepted only with expiresAt.");
        }

        if (expiresAt <= now)
        {
            return Refusal.Invalid("expiresAt must be in the future.");
        }

        if (expiresAt - now > MaxTimeBound)
        {
            return Refusal.Invalid($"expiresAt may be at most {MaxTimeBound.TotalDays:0} days ahead.");
        }

        var then = target.Lapse?.Then ?? target.State;
        if (document.Then is { } fallback)
        {
            if (fallback.ExpiresAt is not null || fallback.Then is not null)
            {
                return Refusal.Invalid("then gives lasting access: it cannot have expiresAt or then of its own.");
            }

            if (Requested(target, fallback, out then) is { } invalid)
            {
                return Refusal.Invalid($"then: {invalid.Detail}");
            }
        }

        if (then == requested)
        {
            return Refusal.Invalid("The access given is the access that would follow it: nothing would end at expiresAt.");
        }

        lapse = new AccessLapse(expiresAt, then);
        return null;
    }

    /// <summary>
    /// Ends <paramref name="target"/>'s time-bound access, which <see cref="Member.HasLapsed"/>: the member holds what the
    /// lapse named, under a revision of its own. Nothing refuses it: every change that set the lapse kept a lasting admin.
    /// </summary>
    public AccessChange EndTimeBoundAccess(Member target, DateTimeOffset now)
    {
        var before = target.State;
        var lapse = target.Lapse;
        target.EndTimeBoundAccess(++Revision, now);
        Moved(before.Status, target.Status);
        return new AccessChange(target, before, target.State, Revision) { LapseBefore = lapse };
    }

    /// <summary>Removes <paramref name="target"/> (terminal). Removing a removed member changes nothing.</summary>
    /// <param name="lastingAdmins">The organisation's lasting admins (<see cref="Member.IsLastingAdmin"/>), counted under the organisation's lock.</param>
    public Refusal? Remove(Member actor, Member target, int lastingAdmins, DateTimeOffset now, out AccessChange change)
    {
        var before = target.State;
        change = new AccessChange(target, before, before, Revision);
        if (TeamPolicy.EnsureMayManageTeam(actor) is { } refusal)
        {
            return refusal;
        }

        if (target.Status == MemberStatus.Removed)
        {
            return null;
        }

        if (TeamPolicy.EnsureMayChange(actor, target) is { } escalation)
        {
            return escalation;
        }

        if (target.IsLastingAdmin && lastingAdmins <= 1)
        {
            return LastAdmin;
        }

        target.Remove(++Revision, now);
        Moved(before.Status, MemberStatus.Removed);
        change = new AccessChange(target, before, target.State, Revision);
        return null;
    }

    public Refusal? CreateGroup(Member actor, string name, DateTimeOffset now, out Group group)
    {
        var refusal = Group.Create(Id, name, now, out group);
        return TeamPolicy.EnsureMayManageTeam(actor) ?? refusal;
    }

    public Refusal? RenameGroup(Member actor, Group group, string name) =>
        TeamPolicy.EnsureMayManageTeam(actor) ?? group.Rename(name);

    /// <summary>Deletes <paramref name="group"/> and strips it from the grants of <paramref name="holders"/>, in one revision.</summary>
    public Refusal? DeleteGroup(Member actor, Group group, IEnumerable<Member> holders, DateTimeOffset now, out IReadOnlyList<AccessChange> changes)
    {
        changes = [];
        if (TeamPolicy.EnsureMayManageTeam(actor) is { } refusal)
        {
            return refusal;
        }

        var revision = ++Revision;
        var stripped = new List<AccessChange>();
        foreach (var holder in holders)
        {
            var before = holder.State;
            holder.StripGroup(group.Id, revision, now);
            if (before != holder.State)
            {
                stripped.Add(new AccessChange(holder, before, holder.State, revision));
            }
        }

        changes = stripped;
        return null;
    }

    /// <summary>
    /// Sets or clears who may see one conversation (docs/permissions.md#conversation-visibility). <paramref name="changed"/> is false when it already was
    /// so (no new revision).
    /// </summary>
    /// <param name="mode">Null clears the override.</param>
    public Refusal? ChangeVisibility(
        Member actor,
        ConversationVisibility visibility,
        VisibilityMode? mode,
        IReadOnlyCollection<Guid> memberIds,
        DateTimeOffset now,
        out bool changed)
    {
        changed = false;
        if ((TeamPolicy.EnsureMayManageVisibility(actor) ?? ConversationVisibility.CheckMemberCount(memberIds.Count)) is { } refusal)
        {
            return refusal;
        }

        if (!visibility.Differs(mode, memberIds))
        {
            return null;
        }

        visibility.Set(mode, memberIds, ++Revision, now);
        changed = true;
        return null;
    }

    private void Moved(MemberStatus? from, MemberStatus to)
    {
        if (from == to)
        {
            return;
        }

        if (from is { } previous)
        {
            Adjust(previous, -1);
        }

        Adjust(to, +1);
    }

    private void Adjust(MemberStatus status, int delta)
    {
        switch (status)
        {
            case MemberStatus.PendingApproval: PendingMembers += delta; break;
            case MemberStatus.Active: ActiveMembers += delta; break;
            case MemberStatus.Blocked: BlockedMembers += delta; break;
            default: RemovedMembers += delta; break;
        }
    }

    private static readonly Refusal LastAdmin = new(
        RefusalKind.LastAdmin, "The organisation must keep at least one active admin whose access does not end by itself.");

    private static readonly Refusal RemovedMember = new(RefusalKind.Removed, "A removed member cannot be given access; they may register again.");

    private static readonly Refusal InvitedWithoutAccess = Refusal.Invalid("An invitation cannot carry role none.");
}

/// <summary>
/// Who may manage whom (docs/product.md#team-management, docs/product.md#no-escalation). Each rule and its words
/// live here only: the aggregate applies them, and so do the endpoints that must refuse before reading anything.
/// </summary>
public static class TeamPolicy
{
    public static Refusal NotTeamManager { get; } = new(RefusalKind.Forbidden, "Managing the team needs admin_settings.");

    public static Refusal NotVisibilityManager { get; } =
        new(RefusalKind.Forbidden, "Conversation visibility needs explorer_conversations and admin_settings.");

    private static readonly Refusal AdminToggle = new(RefusalKind.Escalation, "Only admins may turn the admin toggle on.");

    private static readonly Refusal BeyondOwnAccess = new(RefusalKind.Escalation, "You may grant only permissions you hold yourself.");

    private static readonly Refusal AdminsAccess = new(RefusalKind.Escalation, "Only admins may change an admin's access.");

    /// <summary>Team management needs an active member with <c>admin_settings</c>.</summary>
    public static bool MayManageTeam(Member actor) =>
        actor.Status == MemberStatus.Active && actor.Access.Effective.IsOn(Permission.AdminSettings);

    /// <param name="actor">Null for an actor who is no member (a service, a stranger): refused alike.</param>
    public static Refusal? EnsureMayManageTeam(Member? actor) =>
        actor is not null && MayManageTeam(actor) ? null : NotTeamManager;

    public static Refusal NotMemberManager { get; } =
        new(RefusalKind.Forbidden, "Managing members needs admin_settings, or to be the admin of one of their groups.");

    private static readonly Refusal OutsideGroups =
        new(RefusalKind.Escalation, "A group admin changes only grants on the groups they administer, of members who are not admins.");

    private static readonly Refusal AppointedByAdmins = new(RefusalKind.Escalation, "Only admins appoint group admins.");

    private static readonly Refusal ApprovalOutsideGroups =
        new(RefusalKind.Escalation, "A group admin approves a member with a grant on one of the groups they administer.");

    private static readonly Refusal BeyondOwnGroupAccess =
        new(RefusalKind.Escalation, "A group admin grants on a group only permissions they hold on that group themselves.");

    /// <summary>An active member who administers at least one group (docs/permissions.md#group-admins).</summary>
    public static bool IsGroupAdmin(Member actor) => actor.Status == MemberStatus.Active && actor.Access.IsGroupAdmin;

    /// <summary>
    /// Members are managed by team managers (<c>admin_settings</c>) and, within their groups, by group admins: what each
    /// may do to whom is decided by <see cref="EnsureMayGrant"/> or <see cref="EnsureWithinGroups"/>.
    /// </summary>
    /// <param name="actor">Null for an actor who is no member: refused alike.</param>
    public static Refusal? EnsureMayManageMembers(Member? actor) =>
        actor is not null && (MayManageTeam(actor) || IsGroupAdmin(actor)) ? null : NotMemberManager;

    /// <summary>The groups <paramref name="actor"/> sees members of: null for every member (a team manager).</summary>
    public static IReadOnlySet<Guid>? VisibleGroups(Member actor) => MayManageTeam(actor) ? null : actor.Access.GroupAdminOf;

    /// <summary>Only admins change which groups a member administers.</summary>
    /// <param name="current">The member's access now (<see cref="Access.NoAccess"/> for a new member).</param>
    public static Refusal? EnsureMayAppoint(Member actor, Access current, Access requested) =>
        actor.Access.IsAdmin || requested.GroupAdminOf.SetEquals(current.GroupAdminOf) ? null : AppointedByAdmins;

    /// <summary>
    /// What a group admin who does not manage the team may change (docs/permissions.md#group-admins): a pending or active
    /// member who is not an admin, lasting access only, nothing but group-scoped grants on the groups they administer
    /// (a grant on every group covers groups outside theirs), at most what they hold on each; never blocking, the admin
    /// toggle or the groups a member administers. A pending member is approved with a grant on one of their groups.
    /// </summary>
    /// <param name="before">The member's state now; a new member's (an invitation) is pending with no access.</param>
    /// <param name="lapseBefore">The pending end of the member's time-bound access, if any.</param>
    public static Refusal? EnsureWithinGroups(Member actor, MemberState before, AccessLapse? lapseBefore, MemberState requested, AccessLapse? lapse)
    {
        var groups = actor.Access.GroupAdminOf;
        if (before.Access.IsAdmin)
        {
            return AdminsAccess;
        }

        if (requested.Access.IsAdmin)
        {
            return AdminToggle;
        }

        if (!requested.Access.GroupAdminOf.SetEquals(before.Access.GroupAdminOf))
        {
            return AppointedByAdmins;
        }

        if (lapse is not null || lapseBefore is not null
            || before.Status is not (MemberStatus.PendingApproval or MemberStatus.Active)
            || requested.Status != MemberStatus.Active)
        {
            return OutsideGroups;
        }

        var touchesTheirGroups = false;
        foreach (var permission in Catalogue.All)
        {
            var (was, will) = (before.Access.Underlying, requested.Access.Underlying);
            if (Catalogue.KindOf(permission) != PermissionKind.GroupScoped)
            {
                if (was.LevelOf(permission) != will.LevelOf(permission) || was.IsOn(permission) != will.IsOn(permission))
                {
                    return OutsideGroups;
                }

                continue;
            }

            var (wasScope, willScope) = (was.Scope(permission), will.Scope(permission));
            touchesTheirGroups |= willScope.Groups.Overlaps(groups);
            if (wasScope.Equals(willScope))
            {
                continue;
            }

            if (wasScope.Scope == GroupScope.All || willScope.Scope == GroupScope.All)
            {
                return OutsideGroups;
            }

            var added = willScope.Groups.Except(wasScope.Groups).ToList();
            if (!added.Concat(wasScope.Groups.Except(willScope.Groups)).All(groups.Contains))
            {
                return OutsideGroups;
            }

            var held = actor.Access.Effective.Scope(permission);
            if (added.Any(group => !held.Covers([group])))
            {
                return BeyondOwnGroupAccess;
            }
        }

        return before.Status == MemberStatus.PendingApproval && !touchesTheirGroups ? ApprovalOutsideGroups : null;
    }

    /// <summary>
    /// A non-admin grants only what they hold, never the admin toggle, and cannot change an admin's access.
    /// </summary>
    /// <param name="target">Null for a member who does not exist yet (an invitation).</param>
    public static Refusal? EnsureMayGrant(Member actor, Member? target, Access requested)
    {
        if (target is not null && EnsureMayChange(actor, target) is { } refusal)
        {
            return refusal;
        }

        if (actor.Access.IsAdmin)
        {
            return null;
        }

        if (requested.IsAdmin)
        {
            return AdminToggle;
        }

        return requested.Underlying.IsWithin(actor.Access.Effective) ? null : BeyondOwnAccess;
    }

    /// <summary>Only admins change an admin's access or remove an admin.</summary>
    public static Refusal? EnsureMayChange(Member actor, Member target) =>
        target.Access.IsAdmin && !actor.Access.IsAdmin ? AdminsAccess : null;

    /// <summary>Conversation visibility: admins, or members with <c>explorer_conversations</c> and <c>admin_settings</c>.</summary>
    public static bool MayManageVisibility(Member actor) =>
        actor.Status == MemberStatus.Active
        && actor.Access.Effective.IsOn(Permission.ExplorerConversations)
        && actor.Access.Effective.IsOn(Permission.AdminSettings);

    /// <param name="actor">Null for an actor who is no member: refused alike.</param>
    public static Refusal? EnsureMayManageVisibility(Member? actor) =>
        actor is not null && MayManageVisibility(actor) ? null : NotVisibilityManager;
}
