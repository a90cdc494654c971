using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

/// <summary>Registration, transitions, escalation and the last-admin rule, on the aggregate (no database).</summary>
public sealed class OrganisationTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly Organisation _organisation = Organisation.Create(Guid.NewGuid(), autoAdminCount: 2, Now);

    [Fact]
    public void The_creator_and_the_next_self_registrants_up_to_autoAdminCount_become_admins()
    {
        var creator = Register(RegistrationRoutes.OrganisationCreation);
        var second = Register(RegistrationRoutes.SelfRegistration);
        var third = Register(RegistrationRoutes.SelfRegistration);

        Assert.True(creator.IsActiveAdmin);
        Assert.True(second.IsActiveAdmin);
        Assert.Equal(MemberStatus.PendingApproval, third.Status);
        Assert.False(third.IsAdmin);
        Assert.Equal(3, _organisation.Revision);
    }

    [Fact]
    public void Invited_members_never_count_and_are_never_promoted()
    {
        Register(RegistrationRoutes.OrganisationCreation);
        var invited = Register(RegistrationRoutes.Invitation, Access.Staff(null));
        var selfRegistered = Register(RegistrationRoutes.SelfRegistration);

        Assert.Equal(MemberStatus.Active, invited.Status);
        Assert.False(invited.IsAdmin);
        Assert.Equal("staff", invited.Role);
        Assert.True(selfRegistered.IsActiveAdmin);
    }

    [Fact]
    public void A_demotion_does_not_reopen_an_auto_admin_slot()
    {
        var creator = Register(RegistrationRoutes.OrganisationCreation);
        var second = Register(RegistrationRoutes.SelfRegistration);

        Change(creator, second, """{"role": "manager"}""", 2);
        var third = Register(RegistrationRoutes.SelfRegistration);

        Assert.Equal(MemberStatus.PendingApproval, third.Status);
    }

    [Fact]
    public void Approval_makes_a_pending_member_active_and_none_blocks()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        _organisation.ApplySettings(1, Now);
        var pending = Register(RegistrationRoutes.SelfRegistration);
        var other = Register(RegistrationRoutes.SelfRegistration);

        var approval = Change(admin, pending, """{"role": "staff"}""", 1);
        var block = Change(admin, other, """{"role": "none"}""", 1);

        Assert.Equal(MemberStatus.PendingApproval, approval.Before.Status);
        Assert.Equal(MemberStatus.Active, pending.Status);
        Assert.Equal(MemberStatus.Blocked, other.Status);
        Assert.Equal(approval.Revision + 1, block.Revision);
    }

    [Fact]
    public void Blocked_and_active_go_both_ways_and_removed_is_terminal()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        var member = Register(RegistrationRoutes.Invitation, Access.Manager());

        Change(admin, member, """{"role": "none"}""", 1);
        Assert.Equal(MemberStatus.Blocked, member.Status);
        Change(admin, member, """{"role": "manager"}""", 1);
        Assert.Equal(MemberStatus.Active, member.Status);

        var removal = Remove(admin, member, 1);
        Assert.Equal(MemberStatus.Removed, member.Status);
        var again = Remove(admin, member, 1);
        Assert.False(again.Changed);
        Assert.Equal(removal.Revision, again.Revision);
        var refusal = _organisation.ChangeAccess(admin, member, Document("""{"role": "manager"}"""), 1, Now, out _);
        Assert.Equal(RefusalKind.Removed, refusal?.Kind);
    }

    [Fact]
    public void The_organisation_counts_its_members_by_status_through_every_transition()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        _organisation.ApplySettings(1, Now);
        var pending = Register(RegistrationRoutes.SelfRegistration);
        var blocked = Register(RegistrationRoutes.SelfRegistration);
        var removed = Register(RegistrationRoutes.Invitation, Access.Manager());

        Change(admin, pending, """{"role": "staff"}""", 1);
        Change(admin, blocked, """{"role": "none"}""", 1);
        Change(admin, blocked, """{"role": "none"}""", 1);
        Remove(admin, removed, 1);
        Remove(admin, removed, 1);

        Assert.Equal((0, 2, 1, 1), (_organisation.PendingMembers, _organisation.ActiveMembers, _organisation.BlockedMembers, _organisation.RemovedMembers));
        Assert.Equal(2, _organisation.MembersWith(MemberStatus.Active));
    }

    [Fact]
    public void The_same_access_again_is_no_change_and_no_new_revision()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        var member = Register(RegistrationRoutes.Invitation, Access.Manager());
        var revision = _organisation.Revision;

        var change = Change(admin, member, """{"role": "manager"}""", 1);

        Assert.False(change.Changed);
        Assert.Equal(revision, change.Revision);
        Assert.Equal(revision, _organisation.Revision);
    }

    [Theory]
    [InlineData("""{"role": "manager"}""")]
    [InlineData("""{"role": "none"}""")]
    [InlineData("""{"role": "custom", "isAdmin": false, "permissions": {"admin_settings": true}}""")]
    public void The_last_active_admin_cannot_be_demoted_or_blocked(string document)
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);

        var refusal = _organisation.ChangeAccess(admin, admin, Document(document), lastingAdmins: 1, Now, out _);

        Assert.Equal(RefusalKind.LastAdmin, refusal?.Kind);
        Assert.True(admin.IsActiveAdmin);
    }

    [Fact]
    public void A_refused_change_leaves_the_organisation_and_the_member_as_they_were()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        var revision = _organisation.Revision;

        var refusal = _organisation.ChangeAccess(admin, admin, Document("""{"role": "none"}"""), lastingAdmins: 1, Now, out var change);

        Assert.Equal(RefusalKind.LastAdmin, refusal?.Kind);
        Assert.Equal("The organisation must keep at least one active admin whose access does not end by itself.", refusal?.Detail);
        Assert.False(change.Changed);
        Assert.Equal(revision, change.Revision);
        Assert.Equal(revision, _organisation.Revision);
        Assert.Equal((1, 0), (_organisation.ActiveMembers, _organisation.BlockedMembers));
        Assert.True(admin.IsActiveAdmin);
    }

    [Fact]
    public void An_invitation_cannot_preset_role_none_and_registration_never_takes_one_unchecked()
    {
        Register(RegistrationRoutes.OrganisationCreation);

        Assert.Equal(RefusalKind.Invalid, Organisation.CheckInvitedAccess(Access.NoAccess)?.Kind);
        Assert.Null(Organisation.CheckInvitedAccess(Access.Staff(null)));
        Assert.Throws<ArgumentException>(() => Register(RegistrationRoutes.Invitation, Access.NoAccess));
        Assert.Throws<ArgumentException>(() => Register(RegistrationRoutes.Invitation));
    }

    [Fact]
    public void The_last_active_admin_cannot_be_removed_but_one_of_two_can()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        var second = Register(RegistrationRoutes.SelfRegistration);

        Assert.Equal(RefusalKind.LastAdmin, _organisation.Remove(admin, admin, lastingAdmins: 1, Now, out _)?.Kind);
        Remove(admin, second, 2);
        Assert.Equal(MemberStatus.Removed, second.Status);
    }

    [Fact]
    public void Team_management_needs_admin_settings()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        var manager = Register(RegistrationRoutes.Invitation, Access.Manager());
        var staff = Register(RegistrationRoutes.Invitation, Access.Staff(null));

        var refusal = _organisation.ChangeAccess(manager, staff, Document("""{"role": "none"}"""), 1, Now, out _);

        Assert.Equal(RefusalKind.Forbidden, refusal?.Kind);
        Assert.True(TeamPolicy.MayManageTeam(admin));
        Assert.False(TeamPolicy.MayManageTeam(manager));
    }

    [Theory]
    [InlineData("""{"role": "admin"}""")]
    [InlineData("""{"role": "staff", "isAdmin": true}""")]
    [InlineData("""{"role": "manager"}""")]
    [InlineData("""{"role": "custom", "permissions": {"engage_settings": true}}""")]
    [InlineData("""{"role": "custom", "permissions": {"people": {"scope": "all"}}}""")]
    public void A_non_admin_grants_only_what_they_hold_and_never_the_toggle(string document)
    {
        Register(RegistrationRoutes.OrganisationCreation);
        var teamLead = TeamLead();
        var staff = Register(RegistrationRoutes.Invitation, Access.Staff(null));

        var refusal = _organisation.ChangeAccess(teamLead, staff, Document(document), 1, Now, out _);

        Assert.Equal(RefusalKind.Escalation, refusal?.Kind);
        Assert.Equal("staff", staff.Role);
    }

    [Fact]
    public void A_non_admin_may_grant_a_subset_of_what_they_hold_and_block()
    {
        Register(RegistrationRoutes.OrganisationCreation);
        var teamLead = TeamLead();
        var staff = Register(RegistrationRoutes.Invitation, Access.Staff(null));

        Change(teamLead, staff, """{"role": "custom", "permissions": {"message_inbox": {"scope": "all"}, "admin_settings": true}}""", 1);
        Assert.True(staff.Access.Effective.IsOn(Permission.AdminSettings));
        Change(teamLead, staff, """{"role": "none"}""", 1);
        Assert.Equal(MemberStatus.Blocked, staff.Status);
    }

    [Fact]
    public void A_non_admin_cannot_change_or_remove_an_admin()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        var teamLead = TeamLead();

        Assert.Equal(RefusalKind.Escalation, _organisation.ChangeAccess(teamLead, admin, Document("""{"role": "admin"}"""), 2, Now, out _)?.Kind);
        Assert.Equal(RefusalKind.Escalation, _organisation.Remove(teamLead, admin, 2, Now, out _)?.Kind);
        Assert.True(admin.IsActiveAdmin);
    }

    [Fact]
    public void Deleting_a_group_strips_it_from_every_holder_in_one_revision()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        var group = CreateGroup(admin, "Youth");
        var other = CreateGroup(admin, "Leaders");
        var onlyYouth = Register(RegistrationRoutes.Invitation, Access.Staff([group.Id]));
        var both = Register(RegistrationRoutes.Invitation, Access.Staff([group.Id, other.Id]));

        Assert.Null(_organisation.DeleteGroup(admin, group, [onlyYouth, both], Now, out var changes));

        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal(_organisation.Revision, c.Revision));
        Assert.False(onlyYouth.Access.Effective.Grants(Permission.MessageInbox));
        Assert.Equal([other.Id], both.GroupIds);
    }

    [Fact]
    public void Group_names_are_one_to_a_hundred_characters()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);

        Assert.Equal(RefusalKind.Invalid, _organisation.CreateGroup(admin, "  ", Now, out _)?.Kind);
        Assert.Equal(RefusalKind.Invalid, _organisation.CreateGroup(admin, new string('g', 101), Now, out _)?.Kind);
        Assert.Equal("Youth", CreateGroup(admin, "  Youth ").Name);
    }

    [Fact]
    public void Conversation_visibility_needs_explorer_conversations_and_admin_settings()
    {
        var admin = Register(RegistrationRoutes.OrganisationCreation);
        var teamLead = TeamLead();
        var explorer = Register(RegistrationRoutes.Invitation, Access.CustomSet(new PermissionSet.Builder()
            .Toggle(Permission.ExplorerConversations, true).Toggle(Permission.AdminSettings, true).Build()));
        var visibility = ConversationVisibility.None(_organisation.Id, "wa:conversation-1");

        Assert.Equal(RefusalKind.Forbidden, _organisation.ChangeVisibility(teamLead, visibility, VisibilityMode.Deny, [admin.Id], Now, out _)?.Kind);
        Assert.True(Visibility(explorer, visibility, VisibilityMode.Deny, [teamLead.Id]));
        Assert.False(Visibility(admin, visibility, VisibilityMode.Deny, [teamLead.Id]));
        Assert.True(Visibility(admin, visibility, null, []));
        Assert.Null(visibility.ToOverride());
    }

    /// <summary>A non-admin with admin_settings, message_inbox for all groups, and people for all groups.</summary>
    private Member TeamLead() => Register(RegistrationRoutes.Invitation, Access.CustomSet(new PermissionSet.Builder()
        .Toggle(Permission.AdminSettings, true)
        .Scope(Permission.MessageInbox, GroupGrant.All)
        .Scope(Permission.People, GroupGrant.ForGroups([Guid.NewGuid()]))
        .Build()));

    private AccessChange Change(Member actor, Member target, string document, int activeAdmins)
    {
        Assert.Null(_organisation.ChangeAccess(actor, target, Document(document), activeAdmins, Now, out var change));
        return change;
    }

    private AccessChange Remove(Member actor, Member target, int activeAdmins)
    {
        Assert.Null(_organisation.Remove(actor, target, activeAdmins, Now, out var removal));
        return removal;
    }

    private Group CreateGroup(Member actor, string name)
    {
        Assert.Null(_organisation.CreateGroup(actor, name, Now, out var group));
        return group;
    }

    /// <summary>Whether the change took a new revision.</summary>
    private bool Visibility(Member actor, ConversationVisibility visibility, VisibilityMode? mode, Guid[] memberIds)
    {
        Assert.Null(_organisation.ChangeVisibility(actor, visibility, mode, memberIds, Now, out var changed));
        return changed;
    }

    private Member Register(string via, Access? invited = null) =>
        _organisation.Register(new MemberRegistration(Guid.NewGuid(), "member", "+254711000000", via, InvitedAccess: invited), Now);

    private static AccessDocument Document(string json) => JsonSerializer.Deserialize<AccessDocument>(json, JsonSerializerOptions.Web)!;
}
