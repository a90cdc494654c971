using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

/// <summary>What a group admin may change (docs/permissions.md#group-admins), and how a change on one group is merged.</summary>
public sealed class GroupAdminTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Youth = Guid.NewGuid();
    private static readonly Guid Adults = Guid.NewGuid();
    private static readonly MemberState Pending = new(MemberStatus.PendingApproval, Access.NoAccess);

    private static readonly Member YouthAdmin = Member(MemberStatus.Active, Access.Staff([Youth]).WithGroupAdminOf([Youth]));

    private static Member Member(MemberStatus status, Access access) => TeamPlatform.Permissions.Domain.Member.Create(
        Guid.NewGuid(), new MemberRegistration(Guid.NewGuid(), "someone", "+254711000001", RegistrationRoutes.Invitation), status, access, false, 1, Now);

    private static MemberState Active(Access access) => new(MemberStatus.Active, access);

    private static Refusal? Within(MemberState before, Access requested) =>
        TeamPolicy.EnsureWithinGroups(YouthAdmin, before, lapseBefore: null, Active(requested), lapse: null);

    private static PermissionSet Set(Permission permission, GroupGrant grant, Level keywords = Level.None) =>
        new PermissionSet.Builder().Scope(permission, grant).Level(Permission.Keywords, keywords).Build();

    [Fact]
    public void Approving_with_what_the_group_admin_holds_on_their_group_is_allowed()
    {
        Assert.Null(Within(Pending, Access.Staff([Youth])));
    }

    [Fact]
    public void Approving_with_nothing_on_their_group_is_refused()
    {
        Assert.Equal(RefusalKind.Escalation, Within(Pending, Access.Nothing)?.Kind);
    }

    [Fact]
    public void Grants_on_another_group_or_on_every_group_are_refused()
    {
        Assert.NotNull(Within(Pending, Access.Staff([Adults])));
        Assert.NotNull(Within(Pending, Access.Staff(null)));
        Assert.NotNull(Within(Active(Access.Staff([Youth, Adults])), Access.Staff([Youth])));
    }

    [Fact]
    public void A_permission_the_group_admin_does_not_hold_on_the_group_is_refused()
    {
        var refusal = Within(Pending, Access.CustomSet(Set(Permission.Broadcasts, GroupGrant.ForGroups([Youth]))));

        Assert.Equal(RefusalKind.Escalation, refusal?.Kind);
        Assert.Contains("hold on that group", refusal!.Detail);
    }

    [Fact]
    public void Levels_toggles_blocking_the_admin_toggle_and_appointing_are_outside_their_groups()
    {
        var member = Active(Access.Staff([Youth]));

        Assert.NotNull(Within(member, Access.CustomSet(Set(Permission.MessageInbox, GroupGrant.ForGroups([Youth]), Level.View))));
        Assert.NotNull(Within(member, Access.Staff([Youth], isAdmin: true)));
        Assert.NotNull(Within(member, Access.Staff([Youth]).WithGroupAdminOf([Youth])));
        Assert.NotNull(TeamPolicy.EnsureWithinGroups(YouthAdmin, member, null, new MemberState(MemberStatus.Blocked, Access.NoAccess), null));
        Assert.NotNull(Within(Active(Access.Staff([Youth], isAdmin: true)), Access.Staff([Youth], isAdmin: true)));
    }

    [Fact]
    public void Time_bound_access_is_left_to_those_who_manage_the_team()
    {
        var lapse = new AccessLapse(Now.AddDays(1), Active(Access.Staff([Youth])));

        Assert.NotNull(TeamPolicy.EnsureWithinGroups(YouthAdmin, Pending, null, Active(Access.Staff([Youth])), lapse));
        Assert.NotNull(TeamPolicy.EnsureWithinGroups(YouthAdmin, Active(Access.Manager()), lapse, Active(Access.Manager()), null));
    }

    [Fact]
    public void Merging_a_group_adds_and_takes_that_group_only()
    {
        var access = Access.CustomSet(Set(Permission.MessageInbox, GroupGrant.ForGroups([Youth, Adults]), Level.View));

        Assert.Null(access.OnGroup(Youth, new HashSet<Permission>(), out var merged));

        Assert.Equal(GroupGrant.ForGroups([Adults]), merged.Underlying.Scope(Permission.MessageInbox));
        Assert.Equal(Level.View, merged.Underlying.LevelOf(Permission.Keywords));
    }

    [Fact]
    public void Merging_onto_a_pending_member_gives_the_staff_preset_of_that_group()
    {
        Assert.Null(Access.NoAccess.OnGroup(Youth, new HashSet<Permission> { Permission.MessageInbox }, out var merged));

        Assert.Equal(Access.Staff([Youth]), merged);
    }

    [Fact]
    public void Merging_keeps_the_admin_toggle_and_the_groups_administered()
    {
        var access = Access.Staff([Adults], isAdmin: true).WithGroupAdminOf([Adults]);

        Assert.Null(access.OnGroup(Youth, new HashSet<Permission> { Permission.MessageInbox, Permission.Broadcasts }, out var merged));

        Assert.True(merged.IsAdmin);
        Assert.Equal([Adults], merged.GroupAdminOf);
        Assert.Equal(GroupGrant.ForGroups([Youth]), merged.Underlying.Scope(Permission.Broadcasts));
    }

    [Fact]
    public void Leaving_one_group_out_of_a_grant_on_every_group_is_refused()
    {
        Assert.Equal(RefusalKind.Invalid, Access.Staff(null).OnGroup(Youth, new HashSet<Permission>(), out _)?.Kind);
    }

    [Fact]
    public void Nothing_to_merge_gives_the_same_access()
    {
        var access = Access.Manager();

        Assert.Null(access.OnGroup(Youth, Catalogue.All.Where(p => Catalogue.KindOf(p) == PermissionKind.GroupScoped).ToHashSet(), out var merged));

        Assert.Same(access, merged);
    }

    [Fact]
    public void Blocking_clears_the_groups_administered_and_deleting_a_group_takes_it_out()
    {
        var access = Access.Staff([Youth, Adults]).WithGroupAdminOf([Youth, Adults]);

        Assert.Empty(Access.NoAccess.WithGroupAdminOf([Youth]).GroupAdminOf);
        Assert.Equal([Adults], access.WithoutGroup(Youth).GroupAdminOf);
    }
}
