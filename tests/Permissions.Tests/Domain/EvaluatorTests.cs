using System.Collections.Frozen;
using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

/// <summary>docs/permissions.md#check-semantics, table by table: every permission × action × scope × admin, and the overrides.</summary>
public sealed class EvaluatorTests
{
    private static readonly Guid Youth = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Leaders = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
    private static readonly Guid MemberId = Guid.Parse("00000000-0000-0000-0000-0000000000b1");

    public enum Scope
    {
        Off,
        All,
        Youth,
    }

    public enum Asked
    {
        NoGroup,
        Youth,
        YouthAndLeaders,
    }

    /// <summary>
    /// What a non-admin with the permission at <see cref="Scope"/> gets for each kind of action and group request.
    /// Group-scoped actions other than <c>create</c> and <c>import</c> (view, edit, export, send) share one table.
    /// </summary>
    private static readonly Dictionary<(string ActionKind, Scope Scope, Asked Asked), Reason> GroupScopedTable = new()
    {
        [("general", Scope.Off, Asked.NoGroup)] = Reason.NotGranted,
        [("general", Scope.Off, Asked.Youth)] = Reason.NotGranted,
        [("general", Scope.Off, Asked.YouthAndLeaders)] = Reason.NotGranted,
        [("general", Scope.All, Asked.NoGroup)] = Reason.Granted,
        [("general", Scope.All, Asked.Youth)] = Reason.Granted,
        [("general", Scope.All, Asked.YouthAndLeaders)] = Reason.Granted,
        [("general", Scope.Youth, Asked.NoGroup)] = Reason.NeedsAllGroups,
        [("general", Scope.Youth, Asked.Youth)] = Reason.Granted,
        [("general", Scope.Youth, Asked.YouthAndLeaders)] = Reason.GroupNotGranted,

        // people create: adding a person individually needs every group.
        [("create", Scope.Off, Asked.NoGroup)] = Reason.NotGranted,
        [("create", Scope.Off, Asked.Youth)] = Reason.NotGranted,
        [("create", Scope.Off, Asked.YouthAndLeaders)] = Reason.NotGranted,
        [("create", Scope.All, Asked.NoGroup)] = Reason.Granted,
        [("create", Scope.All, Asked.Youth)] = Reason.Granted,
        [("create", Scope.All, Asked.YouthAndLeaders)] = Reason.Granted,
        [("create", Scope.Youth, Asked.NoGroup)] = Reason.NeedsAllGroups,
        [("create", Scope.Youth, Asked.Youth)] = Reason.NeedsAllGroups,
        [("create", Scope.Youth, Asked.YouthAndLeaders)] = Reason.NeedsAllGroups,

        // people import without engage_settings: the people part holds, then engage_settings is missing.
        [("import", Scope.Off, Asked.NoGroup)] = Reason.NotGranted,
        [("import", Scope.Off, Asked.Youth)] = Reason.NotGranted,
        [("import", Scope.Off, Asked.YouthAndLeaders)] = Reason.NotGranted,
        [("import", Scope.All, Asked.NoGroup)] = Reason.NeedsEngageSettings,
        [("import", Scope.All, Asked.Youth)] = Reason.NeedsEngageSettings,
        [("import", Scope.All, Asked.YouthAndLeaders)] = Reason.NeedsEngageSettings,
        [("import", Scope.Youth, Asked.NoGroup)] = Reason.NeedsAllGroups,
        [("import", Scope.Youth, Asked.Youth)] = Reason.NeedsEngageSettings,
        [("import", Scope.Youth, Asked.YouthAndLeaders)] = Reason.GroupNotGranted,
    };

    public static TheoryData<Permission, PermissionAction, Scope, Asked, bool> GroupScopedCases()
    {
        var data = new TheoryData<Permission, PermissionAction, Scope, Asked, bool>();
        foreach (var permission in Catalogue.All.Where(p => Catalogue.KindOf(p) == PermissionKind.GroupScoped))
        {
            foreach (var action in Catalogue.ActionsOf(permission))
            {
                foreach (var scope in Enum.GetValues<Scope>())
                {
                    foreach (var asked in Enum.GetValues<Asked>())
                    {
                        data.Add(permission, action, scope, asked, false);
                        data.Add(permission, action, scope, asked, true);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GroupScopedCases))]
    public void Group_scoped_permissions_follow_the_table(Permission permission, PermissionAction action, Scope scope, Asked asked, bool isAdmin)
    {
        var grant = scope switch
        {
            Scope.All => GroupGrant.All,
            Scope.Youth => GroupGrant.ForGroups([Youth]),
            _ => GroupGrant.Off,
        };
        var member = Member(new PermissionSet.Builder().Scope(permission, grant).Build(), isAdmin);
        Guid[] groups = asked switch
        {
            Asked.Youth => [Youth],
            Asked.YouthAndLeaders => [Youth, Leaders],
            _ => [],
        };

        var decision = Evaluator.Evaluate(member, new CheckQuery(permission, action, groups));

        var kind = action switch
        {
            PermissionAction.Create => "create",
            PermissionAction.Import => "import",
            _ => "general",
        };
        var expected = isAdmin ? Reason.Admin : GroupScopedTable[(kind, scope, asked)];
        Assert.Equal(expected, decision.Reason);
        Assert.Equal(expected is Reason.Admin or Reason.Granted, decision.Allowed);
    }

    [Theory]
    [InlineData(Scope.All, Asked.NoGroup, Reason.Granted)]
    [InlineData(Scope.Youth, Asked.Youth, Reason.Granted)]
    [InlineData(Scope.Youth, Asked.YouthAndLeaders, Reason.GroupNotGranted)]
    [InlineData(Scope.Youth, Asked.NoGroup, Reason.NeedsAllGroups)]
    public void People_import_with_engage_settings_needs_only_the_people_part(Scope scope, Asked asked, Reason expected)
    {
        var member = Member(new PermissionSet.Builder()
            .Scope(Permission.People, scope == Scope.All ? GroupGrant.All : GroupGrant.ForGroups([Youth]))
            .Toggle(Permission.EngageSettings, true)
            .Build());
        Guid[] groups = asked switch
        {
            Asked.Youth => [Youth],
            Asked.YouthAndLeaders => [Youth, Leaders],
            _ => [],
        };

        Assert.Equal(expected, Evaluator.Evaluate(member, new CheckQuery(Permission.People, PermissionAction.Import, groups)).Reason);
    }

    [Fact]
    public void Engage_settings_alone_does_not_allow_import()
    {
        var member = Member(new PermissionSet.Builder().Toggle(Permission.EngageSettings, true).Build());

        Assert.Equal(Reason.NotGranted, Evaluator.Evaluate(member, new CheckQuery(Permission.People, PermissionAction.Import, [])).Reason);
    }

    [Theory]
    [InlineData(Level.None, PermissionAction.View, Reason.NotGranted)]
    [InlineData(Level.None, PermissionAction.Create, Reason.NotGranted)]
    [InlineData(Level.None, PermissionAction.Edit, Reason.NotGranted)]
    [InlineData(Level.View, PermissionAction.View, Reason.Granted)]
    [InlineData(Level.View, PermissionAction.Create, Reason.LevelTooLow)]
    [InlineData(Level.View, PermissionAction.Edit, Reason.LevelTooLow)]
    [InlineData(Level.Create, PermissionAction.View, Reason.Granted)]
    [InlineData(Level.Create, PermissionAction.Create, Reason.Granted)]
    [InlineData(Level.Create, PermissionAction.Edit, Reason.Granted)]
    public void Levels_need_view_to_view_and_create_to_create_or_edit(Level level, PermissionAction action, Reason expected)
    {
        foreach (var permission in new[] { Permission.Keywords, Permission.Series, Permission.Surveys })
        {
            var member = Member(new PermissionSet.Builder().Level(permission, level).Build());
            var admin = Member(new PermissionSet.Builder().Level(permission, level).Build(), isAdmin: true);

            var decision = Evaluator.Evaluate(member, new CheckQuery(permission, action, []));

            Assert.Equal(expected, decision.Reason);
            Assert.Equal(expected == Reason.Granted, decision.Allowed);
            Assert.Equal(Reason.Admin, Evaluator.Evaluate(admin, new CheckQuery(permission, action, [])).Reason);
        }
    }

    public static TheoryData<Permission, bool, bool> ToggleCases()
    {
        var data = new TheoryData<Permission, bool, bool>();
        foreach (var permission in Catalogue.All.Where(p => Catalogue.KindOf(p) == PermissionKind.Toggle))
        {
            data.Add(permission, false, false);
            data.Add(permission, true, false);
            data.Add(permission, false, true);
            data.Add(permission, true, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ToggleCases))]
    public void Toggles_are_on_or_off(Permission permission, bool on, bool isAdmin)
    {
        var member = Member(new PermissionSet.Builder().Toggle(permission, on).Build(), isAdmin);

        var decision = Evaluator.Evaluate(member, new CheckQuery(permission, PermissionAction.Default, []));

        Assert.Equal(isAdmin ? Reason.Admin : on ? Reason.Granted : Reason.NotGranted, decision.Reason);
        Assert.Equal(isAdmin || on, decision.Allowed);
    }

    [Theory]
    [InlineData(MemberStatus.PendingApproval, false)]
    [InlineData(MemberStatus.PendingApproval, true)]
    [InlineData(MemberStatus.Blocked, false)]
    [InlineData(MemberStatus.Removed, true)]
    [InlineData(MemberStatus.Removed, false)]
    public void A_member_who_is_not_active_is_denied_everything_even_an_admin(MemberStatus status, bool isAdmin)
    {
        var member = new MemberGrant(MemberId, status, isAdmin, Preset.Custom, PermissionSet.Everything, 1);

        foreach (var permission in Catalogue.All)
        {
            var actions = Catalogue.ActionsOf(permission);
            var action = actions.Count > 0 ? actions[0] : PermissionAction.Default;
            var decision = Evaluator.Evaluate(member, new CheckQuery(permission, action, []));
            Assert.Equal(new Decision(false, Reason.Inactive), decision);
        }
    }

    public enum Override
    {
        None,
        AllowListWithMember,
        AllowListWithoutMember,
        DenyListWithMember,
        DenyListWithoutMember,
    }

    [Theory]
    [InlineData(Override.None, true, false, Reason.Granted)]
    [InlineData(Override.AllowListWithMember, true, false, Reason.Granted)]
    [InlineData(Override.AllowListWithoutMember, true, false, Reason.ConversationDenied)]
    [InlineData(Override.DenyListWithMember, true, false, Reason.ConversationDenied)]
    [InlineData(Override.DenyListWithoutMember, true, false, Reason.Granted)]
    // Overrides only narrow: being on an allow-list does not grant the permission itself.
    [InlineData(Override.AllowListWithMember, false, false, Reason.NotGranted)]
    [InlineData(Override.DenyListWithoutMember, false, false, Reason.NotGranted)]
    [InlineData(Override.None, false, false, Reason.NotGranted)]
    // Admins see everything, overrides included.
    [InlineData(Override.AllowListWithoutMember, false, true, Reason.Admin)]
    [InlineData(Override.DenyListWithMember, true, true, Reason.Admin)]
    public void Conversation_overrides_only_narrow_explorer_conversations(Override kind, bool hasPermission, bool isAdmin, Reason expected)
    {
        var member = Member(new PermissionSet.Builder().Toggle(Permission.ExplorerConversations, hasPermission).Build(), isAdmin);
        var other = Guid.NewGuid();
        var conversation = kind switch
        {
            Override.AllowListWithMember => new ConversationOverride(VisibilityMode.Allow, new[] { MemberId, other }.ToFrozenSet()),
            Override.AllowListWithoutMember => new ConversationOverride(VisibilityMode.Allow, new[] { other }.ToFrozenSet()),
            Override.DenyListWithMember => new ConversationOverride(VisibilityMode.Deny, new[] { MemberId }.ToFrozenSet()),
            Override.DenyListWithoutMember => new ConversationOverride(VisibilityMode.Deny, new[] { other }.ToFrozenSet()),
            _ => null,
        };

        var decision = Evaluator.Evaluate(member, new CheckQuery(Permission.ExplorerConversations, PermissionAction.Default, [], conversation));

        Assert.Equal(expected, decision.Reason);
    }

    [Fact]
    public void An_override_does_not_touch_other_permissions()
    {
        var member = Member(new PermissionSet.Builder().Toggle(Permission.Measure, true).Build());
        var denyEveryone = new ConversationOverride(VisibilityMode.Allow, FrozenSet<Guid>.Empty);

        Assert.True(Evaluator.Evaluate(member, new CheckQuery(Permission.Measure, PermissionAction.Default, [], denyEveryone)).Allowed);
    }

    [Fact]
    public void Evaluating_allocates_nothing()
    {
        var member = Member(new PermissionSet.Builder()
            .Scope(Permission.Broadcasts, GroupGrant.ForGroups([Youth, Leaders]))
            .Toggle(Permission.ExplorerConversations, true)
            .Build());
        var conversation = new ConversationOverride(VisibilityMode.Deny, new[] { Guid.NewGuid() }.ToFrozenSet());
        Guid[] groups = [Youth, Leaders];
        Evaluate(); // JIT and first-call work happen outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        var allowed = 0;
        for (var i = 0; i < 1000; i++)
        {
            allowed += Evaluate();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2000, allowed);

        int Evaluate() =>
            (Evaluator.Evaluate(member, new CheckQuery(Permission.Broadcasts, PermissionAction.Send, groups)).Allowed ? 1 : 0)
            + (Evaluator.Evaluate(member, new CheckQuery(Permission.ExplorerConversations, PermissionAction.Default, [], conversation)).Allowed ? 1 : 0);
    }

    private static MemberGrant Member(PermissionSet permissions, bool isAdmin = false) =>
        new(MemberId, MemberStatus.Active, isAdmin, Preset.Custom, permissions, 1);
}
