using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

/// <summary>docs/permissions.md#preview: what a member gains and loses, permission by permission, group by group.</summary>
public sealed class AccessDiffTests
{
    private static readonly Guid Youth = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Choir = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
    private static readonly Guid Leaders = Guid.Parse("00000000-0000-0000-0000-0000000000a3");

    private static MemberState Active(Access access) => new(MemberStatus.Active, access);

    [Fact]
    public void Staff_to_manager_gains_what_the_manager_preset_adds_and_loses_nothing()
    {
        var diff = AccessDiff.Between(Active(Access.Staff([Youth])), Active(Access.Manager()));

        Assert.Empty(diff.Losses);
        Assert.Contains(new AccessItem(AccessItemKind.Permission, Permission.MessageInbox, GroupScope.All), diff.Gains);
        Assert.Contains(new AccessItem(AccessItemKind.Permission, Permission.Keywords, FromLevel: Level.None, ToLevel: Level.Create), diff.Gains);
        Assert.Contains(new AccessItem(AccessItemKind.Permission, Permission.Measure), diff.Gains);
        Assert.DoesNotContain(diff.Gains, item => item.Permission is Permission.AdminSettings or Permission.EngageSettings);
        Assert.DoesNotContain(diff.Gains, item => item.Kind == AccessItemKind.Status);
    }

    [Fact]
    public void Groups_added_and_removed_are_one_item_each_and_narrowing_from_every_group_is_one_loss()
    {
        var diff = AccessDiff.Between(Active(Access.Staff([Youth, Choir])), Active(Access.Staff([Choir, Leaders])));

        Assert.Equal([new AccessItem(AccessItemKind.Permission, Permission.MessageInbox, GroupScope.Groups, Leaders)], diff.Gains);
        Assert.Equal([new AccessItem(AccessItemKind.Permission, Permission.MessageInbox, GroupScope.Groups, Youth)], diff.Losses);

        var narrowed = AccessDiff.Between(Active(Access.Staff(null)), Active(Access.Staff([Youth])));
        Assert.Empty(narrowed.Gains);
        Assert.Equal([new AccessItem(AccessItemKind.Permission, Permission.MessageInbox, GroupScope.All)], narrowed.Losses);
    }

    [Fact]
    public void The_admin_toggle_gains_the_toggle_and_every_permission_the_underlying_set_lacks()
    {
        var diff = AccessDiff.Between(Active(Access.Manager()), Active(Access.Manager(isAdmin: true)));

        Assert.Empty(diff.Losses);
        Assert.Equal(new AccessItem(AccessItemKind.Admin), diff.Gains[0]);
        Assert.Equal(
            [Permission.EngageSettings, Permission.ExplorerSettings, Permission.AdminSettings],
            diff.Gains.Skip(1).Select(item => item.Permission!.Value));

        var back = AccessDiff.Between(Active(Access.Manager(isAdmin: true)), Active(Access.Manager()));
        Assert.Equal(diff.Gains, back.Losses);
    }

    [Fact]
    public void Approval_gains_the_status_and_the_access_and_blocking_loses_them()
    {
        var pending = new MemberState(MemberStatus.PendingApproval, Access.NoAccess);
        var approved = AccessDiff.Between(pending, Active(Access.Staff(null)));

        Assert.Equal(
            [new AccessItem(AccessItemKind.Status, FromStatus: MemberStatus.PendingApproval, ToStatus: MemberStatus.Active),
             new AccessItem(AccessItemKind.Permission, Permission.MessageInbox, GroupScope.All)],
            approved.Gains);
        Assert.Empty(approved.Losses);

        var blocked = AccessDiff.Between(Active(Access.Staff(null)), new MemberState(MemberStatus.Blocked, Access.NoAccess));
        Assert.Empty(blocked.Gains);
        Assert.Equal(approved.Gains[1], blocked.Losses[1]);
        Assert.Equal(MemberStatus.Blocked, blocked.Losses[0].ToStatus);
    }

    [Fact]
    public void The_same_access_again_changes_nothing()
    {
        var diff = AccessDiff.Between(Active(Access.Staff([Youth])), Active(Access.Staff([Youth])));

        Assert.Empty(diff.Gains);
        Assert.Empty(diff.Losses);
    }
}
