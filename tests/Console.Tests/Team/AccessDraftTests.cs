using System.Text.Json;
using TeamPlatform.Console.Features.Shared;
using TeamPlatform.Console.Infrastructure.Api;
using Xunit;

namespace TeamPlatform.Console.Tests.Team;

public sealed class AccessDraftTests
{
    // Ids in a known order: the draft sends group ids sorted.
    private static readonly Guid Youth = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Leaders = Guid.Parse("00000000-0000-0000-0000-000000000002");

    [Fact]
    public void A_new_draft_is_staff_for_every_group_without_the_admin_toggle()
    {
        var draft = AccessDraft.New(PresetRoles.All);

        Assert.Equal("staff", draft.Preset);
        Assert.False(draft.IsAdmin);
        Assert.False(draft.Locked);
        AssertScope(GroupScope.All, [], draft.StaffGroups);
        AssertScope(GroupScope.All, [], draft.ScopeOf("message_inbox"));
        Assert.Null(draft.Incomplete);
        Assert.Equal(new AccessDocument("staff", false), draft.ToDocument());
    }

    [Fact]
    public void A_preset_shows_what_its_role_grants()
    {
        var staff = AccessDraft.New(PresetRoles.All);
        var manager = AccessDraft.New(PresetRoles.All, "manager");

        AssertScope(GroupScope.Off, [], staff.ScopeOf("people"));
        Assert.Equal("none", staff.LevelOf("keywords"));
        Assert.False(staff.IsOn("measure"));
        AssertScope(GroupScope.All, [], manager.ScopeOf("people"));
        Assert.Equal("create", manager.LevelOf("surveys"));
        Assert.True(manager.IsOn("measure"));
        Assert.False(manager.IsOn(Catalogue.AdminSettings));
    }

    [Fact]
    public void The_admin_toggle_turns_every_permission_on_and_locks_the_draft()
    {
        var draft = AccessDraft.New(PresetRoles.All);

        draft.SetAdmin(true);

        Assert.True(draft.Locked);
        foreach (var permission in Catalogue.All)
        {
            switch (permission.Kind)
            {
                case PermissionKind.GroupScoped:
                    AssertScope(GroupScope.All, [], draft.ScopeOf(permission.Name));
                    break;
                case PermissionKind.Level:
                    Assert.Equal("create", draft.LevelOf(permission.Name));
                    break;
                default:
                    Assert.True(draft.IsOn(permission.Name), permission.Name);
                    break;
            }
        }
    }

    [Fact]
    public void Turning_the_admin_toggle_off_gives_back_staff_with_its_groups()
    {
        var draft = AccessDraft.New(PresetRoles.All);
        draft.SetStaffGroups(GroupChoice.Of([Leaders, Youth]));

        draft.SetAdmin(true);
        draft.SetAdmin(false);

        Assert.False(draft.Locked);
        Assert.Equal("staff", draft.Preset);
        AssertScope(GroupScope.Groups, [Youth, Leaders], draft.ScopeOf("message_inbox"));
        AssertScope(GroupScope.Off, [], draft.ScopeOf("people"));
        Assert.False(draft.IsOn("measure"));
        var document = draft.ToDocument();
        Assert.Equal("staff", document.Role);
        Assert.Equal([Youth, Leaders], document.GroupIds);
    }

    [Fact]
    public void Turning_the_admin_toggle_off_gives_back_a_custom_set()
    {
        var draft = AccessDraft.New(PresetRoles.All, "none");
        draft.ChoosePreset("custom");
        draft.SetLevel("series", "view");

        draft.SetAdmin(true);
        draft.SetAdmin(false);

        Assert.Equal("custom", draft.Preset);
        Assert.Equal("view", draft.LevelOf("series"));
        Assert.Equal("none", draft.LevelOf("keywords"));
        AssertScope(GroupScope.Off, [], draft.ScopeOf("message_inbox"));
    }

    [Fact]
    public void The_admin_toggle_on_a_blocked_member_keeps_an_empty_custom_set_underneath()
    {
        var draft = AccessDraft.New(PresetRoles.All, "none");

        draft.SetAdmin(true);

        Assert.Equal("custom", draft.Preset);
        var document = draft.ToDocument();
        Assert.Equal("custom", document.Role);
        Assert.True(document.IsAdmin);
        Assert.Empty(document.Permissions!);

        draft.SetAdmin(false);

        Assert.All(Catalogue.OfKind(PermissionKind.Toggle), permission => Assert.False(draft.IsOn(permission.Name)));
        Assert.All(Catalogue.OfKind(PermissionKind.GroupScoped), permission => AssertScope(GroupScope.Off, [], draft.ScopeOf(permission.Name)));
    }

    [Fact]
    public void Changing_one_scope_of_staff_makes_a_custom_set_that_keeps_the_staff_groups()
    {
        var draft = AccessDraft.New(PresetRoles.All);
        draft.SetStaffGroups(GroupChoice.Of([Youth]));

        draft.SetScope("people", GroupChoice.AllGroups);

        Assert.Equal("custom", draft.Preset);
        AssertScope(GroupScope.All, [], draft.ScopeOf("people"));
        AssertScope(GroupScope.Groups, [Youth], draft.ScopeOf("message_inbox"));
        AssertScope(GroupScope.Off, [], draft.ScopeOf("broadcasts"));
        Assert.Equal("none", draft.LevelOf("keywords"));
    }

    [Fact]
    public void Changing_one_level_of_manager_makes_a_custom_set_that_keeps_the_rest_of_manager()
    {
        var draft = AccessDraft.New(PresetRoles.All, "manager");

        draft.SetLevel("keywords", "view");

        Assert.Equal("custom", draft.Preset);
        Assert.Equal("view", draft.LevelOf("keywords"));
        Assert.Equal("create", draft.LevelOf("series"));
        AssertScope(GroupScope.All, [], draft.ScopeOf("people"));
        Assert.True(draft.IsOn("measure"));
        Assert.False(draft.IsOn("engage_settings"));
    }

    [Fact]
    public void Turning_on_one_setting_of_manager_makes_a_custom_set_that_keeps_the_rest_of_manager()
    {
        var draft = AccessDraft.New(PresetRoles.All, "manager");

        draft.SetToggle("engage_settings", true);

        Assert.Equal("custom", draft.Preset);
        Assert.True(draft.IsOn("engage_settings"));
        Assert.True(draft.IsOn("explorer_conversations"));
        Assert.False(draft.IsOn("explorer_settings"));
        Assert.False(draft.IsOn(Catalogue.AdminSettings));
        Assert.Equal("create", draft.LevelOf("surveys"));
        AssertScope(GroupScope.All, [], draft.ScopeOf("broadcasts"));
    }

    [Fact]
    public void Choosing_custom_starts_from_the_preset_that_was_chosen()
    {
        var draft = AccessDraft.New(PresetRoles.All, "manager");

        draft.ChoosePreset("custom");

        Assert.Equal("custom", draft.Preset);
        Assert.Equal("create", draft.LevelOf("keywords"));
        Assert.True(draft.IsOn("measure"));
        Assert.False(draft.IsOn(Catalogue.AdminSettings));
    }

    [Fact]
    public void Nothing_below_the_admin_toggle_changes_while_it_is_on()
    {
        var draft = AccessDraft.New(PresetRoles.All);
        draft.SetAdmin(true);

        draft.ChoosePreset("manager");
        draft.SetStaffGroups(GroupChoice.Of([Youth]));
        draft.SetScope("people", GroupChoice.AllGroups);
        draft.SetLevel("keywords", "view");
        draft.SetToggle("measure", true);
        draft.SetAdmin(false);

        Assert.Equal("staff", draft.Preset);
        AssertScope(GroupScope.All, [], draft.StaffGroups);
        AssertScope(GroupScope.Off, [], draft.ScopeOf("people"));
        Assert.Equal("none", draft.LevelOf("keywords"));
        Assert.False(draft.IsOn("measure"));
    }

    [Fact]
    public void Staff_with_specific_groups_but_none_picked_is_incomplete()
    {
        var draft = AccessDraft.New(PresetRoles.All);

        draft.SetStaffGroups(GroupChoice.Of([]));

        Assert.Equal("Pick at least one group for Staff, or choose All groups.", draft.Incomplete);

        draft.SetStaffGroups(GroupChoice.Of([Youth]));

        Assert.Null(draft.Incomplete);
    }

    [Fact]
    public void A_custom_permission_with_specific_groups_but_none_picked_is_incomplete()
    {
        var draft = AccessDraft.New(PresetRoles.All, "none");
        draft.ChoosePreset("custom");

        draft.SetScope("people", GroupChoice.Of([]));

        Assert.Equal("Pick at least one group for People, or choose All groups or Off.", draft.Incomplete);

        draft.SetScope("people", GroupChoice.Off);

        Assert.Null(draft.Incomplete);
    }

    [Fact]
    public void An_incomplete_set_under_the_admin_toggle_does_not_stop_saving()
    {
        var draft = AccessDraft.New(PresetRoles.All);
        draft.SetStaffGroups(GroupChoice.Of([]));

        draft.SetAdmin(true);

        Assert.Null(draft.Incomplete);
    }

    [Fact]
    public void Staff_sends_group_ids_only_when_specific_groups_are_chosen()
    {
        var draft = AccessDraft.New(PresetRoles.All);

        Assert.Null(draft.ToDocument().GroupIds);

        draft.SetStaffGroups(GroupChoice.Of([Leaders, Youth, Leaders]));
        var document = draft.ToDocument();

        Assert.Equal("staff", document.Role);
        Assert.False(document.IsAdmin);
        Assert.Equal([Youth, Leaders], document.GroupIds);
        Assert.Null(document.Permissions);

        draft.SetStaffGroups(GroupChoice.AllGroups);

        Assert.Null(draft.ToDocument().GroupIds);
    }

    [Fact]
    public void A_custom_set_sends_what_it_grants_in_the_access_document_shapes()
    {
        var draft = AccessDraft.New(PresetRoles.All, "none");
        draft.ChoosePreset("custom");

        draft.SetScope("message_inbox", GroupChoice.AllGroups);
        draft.SetScope("people", GroupChoice.Of([Leaders, Youth]));
        draft.SetScope("broadcasts", GroupChoice.Off);
        draft.SetLevel("keywords", "view");
        draft.SetLevel("series", "create");
        draft.SetLevel("surveys", "none");
        draft.SetToggle("measure", true);
        draft.SetToggle("engage_settings", false);
        var document = draft.ToDocument();

        Assert.Equal("custom", document.Role);
        Assert.False(document.IsAdmin);
        Assert.Null(document.GroupIds);
        Assert.Equal(
            """{"keywords":"view","measure":true,"message_inbox":{"scope":"all"},"people":{"scope":"groups","groupIds":["00000000-0000-0000-0000-000000000001","00000000-0000-0000-0000-000000000002"]},"series":"create"}""",
            Json(document.Permissions!));
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("none")]
    public void A_preset_sends_its_name_alone(string preset)
    {
        var draft = AccessDraft.New(PresetRoles.All, preset);

        Assert.Equal(new AccessDocument(preset, false), draft.ToDocument());
    }

    [Fact]
    public void A_stored_custom_admin_comes_back_unchanged_and_its_set_shows_once_the_toggle_is_off()
    {
        var stored = new AccessDocument("custom", true, Permissions: new Dictionary<string, JsonElement>
        {
            ["people"] = JsonSerializer.SerializeToElement(new { scope = "groups", groupIds = new[] { Youth } }),
            ["broadcasts"] = JsonSerializer.SerializeToElement(new { scope = "all" }),
            ["keywords"] = JsonSerializer.SerializeToElement("view"),
            ["measure"] = JsonSerializer.SerializeToElement(true),
        });

        var draft = AccessDraft.From(stored, isAdmin: true, PresetRoles.All);

        Assert.True(draft.IsAdmin);
        Assert.Equal("custom", draft.Preset);
        AssertScope(GroupScope.All, [], draft.ScopeOf("people"));
        var sent = draft.ToDocument();
        Assert.Equal("custom", sent.Role);
        Assert.True(sent.IsAdmin);
        Assert.Equal(Json(stored.Permissions!), Json(sent.Permissions!));

        draft.SetAdmin(false);

        AssertScope(GroupScope.Groups, [Youth], draft.ScopeOf("people"));
        AssertScope(GroupScope.All, [], draft.ScopeOf("broadcasts"));
        AssertScope(GroupScope.Off, [], draft.ScopeOf("message_inbox"));
        Assert.Equal("view", draft.LevelOf("keywords"));
        Assert.Equal("none", draft.LevelOf("series"));
        Assert.True(draft.IsOn("measure"));
        Assert.False(draft.IsOn(Catalogue.AdminSettings));
    }

    [Fact]
    public void A_stored_document_that_says_admin_opens_with_the_toggle_on()
    {
        var toggledOn = AccessDraft.From(new AccessDocument("manager", true), isAdmin: false, PresetRoles.All);
        var adminRole = AccessDraft.From(new AccessDocument("admin"), isAdmin: false, PresetRoles.All);

        Assert.True(toggledOn.IsAdmin);
        Assert.Equal("manager", toggledOn.Preset);
        Assert.True(adminRole.IsAdmin);
        Assert.Equal("custom", adminRole.Preset);
    }

    [Fact]
    public void A_stored_staff_member_comes_back_with_their_groups()
    {
        var draft = AccessDraft.From(new AccessDocument("staff", false, [Leaders, Youth]), isAdmin: false, PresetRoles.All);

        Assert.False(draft.IsAdmin);
        Assert.Equal("staff", draft.Preset);
        AssertScope(GroupScope.Groups, [Youth, Leaders], draft.StaffGroups);
        Assert.Equal([Youth, Leaders], draft.ToDocument().GroupIds);
    }

    private static void AssertScope(GroupScope scope, Guid[] groups, GroupChoice choice)
    {
        Assert.Equal(scope, choice.Scope);
        Assert.Equal(groups, choice.Groups);
    }

    // Sorted by name, so that the comparison does not depend on the order the draft wrote them in.
    private static string Json(IReadOnlyDictionary<string, JsonElement> permissions) =>
        JsonSerializer.Serialize(new SortedDictionary<string, JsonElement>(permissions.ToDictionary(), StringComparer.Ordinal));
}
