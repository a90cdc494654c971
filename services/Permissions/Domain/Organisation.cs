using TeamPlatform.Contracts.V1;

namespace TeamPlatform.Permissions.Domain;

/// <summary>A change of one member's status or access, with the organisation's revision it produced.</summary>
public sealed record AccessChange(Member Member, MemberState Before, MemberState After, long Revision)
{
    public bool Changed => Before != After;
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
    /// invitation's access and never count; everyone else waits for approval.
    /// </summary>
    public Member Register(MemberRegistration registration, DateTimeOffset now)
    {
        var (status, access, promoted) = registration.Via switch
        {
            RegistrationRoutes.OrganisationCreation => (MemberStatus.Active, Access.AutoAdmin, true),
            RegistrationRoutes.SelfRegistration when AutoPromoted < AutoAdminCount => (MemberStatus.Active, Access.AutoAdmin, true),
            RegistrationRoutes.SelfRegistration => (MemberStatus.PendingApproval, Access.NoAccess, false),
            RegistrationRoutes.Invitation => (MemberStatus.Active, InvitedAccess(registration), false),
            _ => throw new DomainException(DomainErrors.Validation, "via must be organisation_creation, registration or invitation."),
        };

        if (promoted)
        {
            AutoPromoted++;
        }

        Moved(null, status);
        return Member.Create(Id, registration, status, access, promoted, ++Revision, now);
    }

    /// <summary>
    /// Sets <paramref name="target"/>'s access from <paramref name="document"/> on behalf of <paramref name="actor"/>.
    /// Refuses: <c>forbidden</c> without <c>admin_settings</c>, <c>validation_failed</c> for a bad document,
    /// <c>escalation</c> for more than the actor holds, <c>last_admin</c> when no active admin would remain.
    /// </summary>
    /// <param name="activeAdmins">The organisation's active admins, counted under the organisation's lock.</param>
    public AccessChange ChangeAccess(Member actor, Member target, AccessDocument document, int activeAdmins, DateTimeOffset now)
    {
        TeamPolicy.EnsureMayManageTeam(actor);
        var requested = document.Resolve(target.Access);
        TeamPolicy.EnsureMayGrant(actor, target, requested);

        var before = target.State;
        if (target.IsActiveAdmin && !requested.IsAdmin && activeAdmins <= 1)
        {
            throw LastAdmin();
        }

        var afterStatus = requested.Preset == Preset.None ? MemberStatus.Blocked : MemberStatus.Active;
        if (target.Status != MemberStatus.Removed && before == new MemberState(afterStatus, requested))
        {
            return new AccessChange(target, before, before, Revision);
        }

        target.ChangeAccess(requested, Revision + 1, now);
        Moved(before.Status, target.Status);
        return new AccessChange(target, before, target.State, ++Revision);
    }

    /// <summary>Removes <paramref name="target"/> (terminal). Removing a removed member changes nothing.</summary>
    public AccessChange Remove(Member actor, Member target, int activeAdmins, DateTimeOffset now)
    {
        TeamPolicy.EnsureMayManageTeam(actor);
        var before = target.State;
        if (target.Status == MemberStatus.Removed)
        {
            return new AccessChange(target, before, before, Revision);
        }

        TeamPolicy.EnsureMayChange(actor, target);
        if (target.IsActiveAdmin && activeAdmins <= 1)
        {
            throw LastAdmin();
        }

        target.Remove(++Revision, now);
        Moved(before.Status, MemberStatus.Removed);
        return new AccessChange(target, before, target.State, Revision);
    }

    public Group CreateGroup(Member actor, string name, DateTimeOffset now)
    {
        TeamPolicy.EnsureMayManageTeam(actor);
        return Group.Create(Id, name, now);
    }

    public void RenameGroup(Member actor, Group group, string name)
    {
        TeamPolicy.EnsureMayManageTeam(actor);
        group.Rename(name);
    }

    /// <summary>Deletes <paramref name="group"/> and strips it from the grants of <paramref name="holders"/>, in one revision.</summary>
    public IReadOnlyList<AccessChange> DeleteGroup(Member actor, Group group, IEnumerable<Member> holders, DateTimeOffset now)
    {
        TeamPolicy.EnsureMayManageTeam(actor);
        var revision = ++Revision;
        var changes = new List<AccessChange>();
        foreach (var holder in holders)
        {
            var before = holder.State;
            holder.StripGroup(group.Id, revision, now);
            if (before != holder.State)
            {
                changes.Add(new AccessChange(holder, before, holder.State, revision));
            }
        }

        return changes;
    }

    /// <summary>Sets or clears who may see one conversation; false when it already was so (no new revision).</summary>
    /// <param name="mode">Null clears the override.</param>
    public bool ChangeVisibility(Member actor, ConversationVisibility visibility, VisibilityMode? mode, IReadOnlyCollection<Guid> memberIds, DateTimeOffset now)
    {
        TeamPolicy.EnsureMayManageVisibility(actor);
        if (!visibility.Differs(mode, memberIds))
        {
            return false;
        }

        visibility.Set(mode, memberIds, ++Revision, now);
        return true;
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

    private static Access InvitedAccess(MemberRegistration registration) =>
        registration.InvitedAccess is { Preset: not Preset.None } access
            ? access
            : throw new DomainException(DomainErrors.Validation, "An invitation must carry access other than role none.");

    private static DomainException LastAdmin() =>
        new(DomainErrors.LastAdmin, "The organisation must keep at least one active admin.");
}

/// <summary>Who may manage whom (docs/product.md#team-management, docs/product.md#no-escalation).</summary>
public static class TeamPolicy
{
    /// <summary>Team management needs an active member with <c>admin_settings</c>.</summary>
    public static bool MayManageTeam(Member actor) =>
        actor.Status == MemberStatus.Active && actor.Access.Effective.IsOn(Permission.AdminSettings);

    public static void EnsureMayManageTeam(Member actor)
    {
        if (!MayManageTeam(actor))
        {
            throw new DomainException(DomainErrors.Forbidden, "Managing the team needs admin_settings.");
        }
    }

    /// <summary>
    /// A non-admin grants only what they hold, never the admin toggle, and cannot change an admin's access.
    /// </summary>
    /// <param name="target">Null for a member who does not exist yet (an invitation).</param>
    public static void EnsureMayGrant(Member actor, Member? target, Access requested)
    {
        if (target is not null)
        {
            EnsureMayChange(actor, target);
        }

        if (actor.Access.IsAdmin)
        {
            return;
        }

        if (requested.IsAdmin)
        {
            throw new DomainException(DomainErrors.Escalation, "Only admins may turn the admin toggle on.");
        }

        if (!requested.Underlying.IsWithin(actor.Access.Effective))
        {
            throw new DomainException(DomainErrors.Escalation, "You may grant only permissions you hold yourself.");
        }
    }

    /// <summary>Only admins change an admin's access or remove an admin.</summary>
    public static void EnsureMayChange(Member actor, Member target)
    {
        if (target.Access.IsAdmin && !actor.Access.IsAdmin)
        {
            throw new DomainException(DomainErrors.Escalation, "Only admins may change an admin's access.");
        }
    }

    /// <summary>Conversation visibility: admins, or members with <c>explorer_conversations</c> and <c>admin_settings</c>.</summary>
    public static bool MayManageVisibility(Member actor) =>
        actor.Status == MemberStatus.Active
        && actor.Access.Effective.IsOn(Permission.ExplorerConversations)
        && actor.Access.Effective.IsOn(Permission.AdminSettings);

    public static void EnsureMayManageVisibility(Member actor)
    {
        if (!MayManageVisibility(actor))
        {
            throw new DomainException(DomainErrors.Forbidden, "Conversation visibility needs explorer_conversations and admin_settings.");
        }
    }
}
