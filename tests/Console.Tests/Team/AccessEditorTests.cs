using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;
using TeamPlatform.Console.Features.Shared;
using TeamPlatform.Console.Infrastructure.Api;
using Xunit;

namespace TeamPlatform.Console.Tests.Team;

public sealed class AccessEditorTests : BunitContext
{
    private static readonly Group Youth = new(Guid.Parse("00000000-0000-0000-0000-000000000001"), "Youth", DateTimeOffset.UnixEpoch);
    private static readonly Group Leaders = new(Guid.Parse("00000000-0000-0000-0000-000000000002"), "Leaders", DateTimeOffset.UnixEpoch);

    public AccessEditorTests()
    {
        Services.AddFluentUIComponents();
        // Fluent UI's components call their JavaScript modules; none of it matters to what is rendered here.
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void A_staff_draft_shows_the_staff_description_and_the_group_picker_but_no_permission_list()
    {
        var editor = RenderEditor(AccessDraft.New(PresetRoles.All));

        Assert.Equal(Catalogue.RoleHelp("staff"), editor.Find(".role-help").TextContent);
        Assert.Equal("staff", editor.Find("fluent-radio-group[name=preset]").GetAttribute("value"));
        Assert.Equal("Staff see the chats of", editor.Find("fieldset[data-permission=staff-groups] legend").TextContent);
        Assert.Equal("All", ScopeShown(editor, "staff-groups"));
        Assert.Empty(editor.FindAll("fieldset[data-permission=message_inbox]"));
        Assert.Empty(editor.FindAll("fieldset.level"));
        Assert.Empty(editor.FindAll(".toggle"));
        Assert.False(editor.Find(".access-editor").HasAttribute("data-locked"));
    }

    [Fact]
    public void A_manager_draft_shows_the_manager_description_and_neither_the_group_picker_nor_the_permission_list()
    {
        var editor = RenderEditor(AccessDraft.New(PresetRoles.All, "manager"));

        Assert.Equal(Catalogue.RoleHelp("manager"), editor.Find(".role-help").TextContent);
        Assert.Empty(editor.FindAll("fieldset.group-scope"));
        Assert.Empty(editor.FindAll(".toggle"));
    }

    [Fact]
    public async Task Choosing_custom_shows_every_permission_to_pick_one_by_one_starting_from_the_preset()
    {
        var draft = AccessDraft.New(PresetRoles.All);
        var editor = RenderEditor(draft);

        await ChooseAsync(editor.Find("fluent-radio-group[name=preset]"), "custom");

        Assert.Equal("custom", draft.Preset);
        Assert.Empty(editor.FindAll("fieldset[data-permission=staff-groups]"));
        Assert.Equal(
            ["Inboxes, broadcasts and people", "Content", "Settings and tools"],
            editor.FindAll("h2.section-title").Select(title => title.TextContent));
        foreach (var permission in Catalogue.OfKind(PermissionKind.GroupScoped).Concat(Catalogue.OfKind(PermissionKind.Level)))
        {
            var fieldset = editor.Find($"fieldset[data-permission={permission.Name}]");
            Assert.Equal(permission.Label, fieldset.QuerySelector("legend")!.TextContent);
            Assert.False(fieldset.HasAttribute("disabled"), permission.Name);
        }

        Assert.Equal(
            Catalogue.OfKind(PermissionKind.Toggle).Select(permission => permission.Name),
            editor.FindAll(".toggle").Select(toggle => toggle.GetAttribute("data-permission")));
        Assert.Empty(editor.FindAll(".toggle fluent-switch[disabled]"));
        Assert.Equal("All", ScopeShown(editor, "message_inbox"));
        Assert.Equal("Off", ScopeShown(editor, "people"));
        Assert.Equal("none", editor.Find("fluent-radio-group[name=keywords]").GetAttribute("value"));
    }

    [Fact]
    public async Task Turning_admin_on_greys_out_everything_below_and_turning_it_off_gives_back_the_previous_choice()
    {
        var draft = AccessDraft.New(PresetRoles.All);
        draft.SetStaffGroups(GroupChoice.Of([Youth.Id]));
        var editor = RenderEditor(draft);

        await SwitchAsync(editor.Find("fluent-switch#admin"), on: true);

        Assert.True(editor.Find(".access-editor").HasAttribute("data-locked"));
        Assert.True(editor.Find("fluent-switch#admin").HasAttribute("current-checked"));
        var fieldsets = editor.FindAll("fieldset");
        Assert.Equal(1 + Catalogue.OfKind(PermissionKind.GroupScoped).Count() + Catalogue.OfKind(PermissionKind.Level).Count(), fieldsets.Count);
        Assert.All(fieldsets, fieldset => Assert.True(fieldset.HasAttribute("disabled"), fieldset.GetAttribute("data-permission")));
        Assert.All(editor.FindAll(".toggle fluent-switch"), toggle => Assert.True(toggle.HasAttribute("disabled")));
        Assert.All(editor.FindAll(".toggle fluent-switch"), toggle => Assert.True(toggle.HasAttribute("current-checked")));
        Assert.Equal("All", ScopeShown(editor, "message_inbox"));
        Assert.Empty(editor.FindAll("fieldset[data-permission=staff-groups]"));

        await SwitchAsync(editor.Find("fluent-switch#admin"), on: false);

        Assert.False(editor.Find(".access-editor").HasAttribute("data-locked"));
        Assert.False(editor.Find("fieldset[data-permission=presets]").HasAttribute("disabled"));
        Assert.Equal("staff", editor.Find("fluent-radio-group[name=preset]").GetAttribute("value"));
        Assert.Equal("Groups", ScopeShown(editor, "staff-groups"));
        Assert.Equal([Youth.Id], draft.StaffGroups.Groups);
        Assert.Empty(editor.FindAll("fieldset[data-permission=message_inbox]"));
    }

    [Fact]
    public async Task Choosing_specific_groups_shows_a_checkbox_per_group_and_ticking_one_picks_it()
    {
        var draft = AccessDraft.New(PresetRoles.All);
        var editor = RenderEditor(draft);

        await ChooseAsync(editor.Find("fluent-radio-group[name=staff-groups-scope]"), "Groups");

        Assert.Equal("Groups", ScopeShown(editor, "staff-groups"));
        Assert.Equal(["Leaders", "Youth"], GroupsOffered(editor, "staff-groups"));
        Assert.Empty(editor.FindAll("fieldset[data-permission=staff-groups] fluent-search"));
        Assert.Equal("Pick at least one group for Staff, or choose All groups.", draft.Incomplete);

        await TickAsync(editor.FindAll("fieldset[data-permission=staff-groups] fluent-checkbox")[1], ticked: true);

        Assert.Equal([Youth.Id], draft.StaffGroups.Groups);
        Assert.Null(draft.Incomplete);
    }

    [Fact]
    public async Task Choosing_specific_groups_for_a_custom_permission_shows_a_checkbox_per_group_there_only()
    {
        var draft = AccessDraft.New(PresetRoles.All, "manager");
        draft.ChoosePreset("custom");
        var editor = RenderEditor(draft);

        await ChooseAsync(editor.Find("fluent-radio-group[name=people-scope]"), "Groups");

        Assert.Equal(GroupScope.Groups, draft.ScopeOf("people").Scope);
        Assert.Equal(["Leaders", "Youth"], GroupsOffered(editor, "people"));
        Assert.Empty(GroupsOffered(editor, "broadcasts"));
        Assert.Equal("Pick at least one group for People, or choose All groups or Off.", draft.Incomplete);
    }

    [Fact]
    public async Task Specific_groups_in_an_organisation_without_groups_says_where_to_create_them()
    {
        var editor = Render<AccessEditor>(parameters => parameters
            .Add(e => e.Draft, AccessDraft.New(PresetRoles.All))
            .Add(e => e.Roles, PresetRoles.All)
            .Add(e => e.Directory, new InMemoryGroups().Directory()));

        await ChooseAsync(editor.Find("fluent-radio-group[name=staff-groups-scope]"), "Groups");

        Assert.Contains("The organisation has no groups yet: create them under Groups.", editor.Find("fieldset[data-permission=staff-groups]").TextContent);
    }

    [Fact]
    public async Task In_an_organisation_of_many_groups_the_first_are_offered_and_a_search_finds_the_others()
    {
        var many = Enumerable.Range(1, 40).Select(n => new Group(Guid.NewGuid(), $"Choir {n:00}", DateTimeOffset.UnixEpoch)).Append(Youth).ToArray();
        var organisation = new InMemoryGroups(many);
        var draft = AccessDraft.New(PresetRoles.All);
        var editor = RenderEditor(draft, organisation);

        await ChooseAsync(editor.Find("fluent-radio-group[name=staff-groups-scope]"), "Groups");

        Assert.Equal(Enumerable.Range(1, GroupScopePicker.Offered).Select(n => $"Choir {n:00}"), GroupsOffered(editor, "staff-groups"));
        await SearchAsync(editor, "staff-groups", "you");
        editor.WaitForAssertion(() => Assert.Equal(["Youth"], GroupsOffered(editor, "staff-groups")));

        await TickAsync(editor.Find("fieldset[data-permission=staff-groups] fluent-checkbox"), ticked: true);
        await SearchAsync(editor, "staff-groups", "3");
        editor.WaitForAssertion(() => Assert.Equal(["Youth", .. Enumerable.Range(30, 10).Select(n => $"Choir {n}")], GroupsOffered(editor, "staff-groups")));
        Assert.Equal([Youth.Id], draft.StaffGroups.Groups);
    }

    [Fact]
    public void A_member_already_in_a_group_past_the_first_offered_sees_it_named_and_ticked()
    {
        var many = Enumerable.Range(1, 40).Select(n => new Group(Guid.NewGuid(), $"Choir {n:00}", DateTimeOffset.UnixEpoch)).Append(Youth).ToArray();
        var organisation = new InMemoryGroups(many);
        var draft = AccessDraft.New(PresetRoles.All);
        draft.SetStaffGroups(GroupChoice.Of([Youth.Id]));

        var editor = RenderEditor(draft, organisation);

        var offered = editor.FindAll("fieldset[data-permission=staff-groups] fluent-checkbox");
        Assert.Equal("Youth", offered[0].TextContent.Trim());
        Assert.True(offered[0].HasAttribute("current-checked"));
        Assert.Equal("Choir 01", offered[1].TextContent.Trim());
        Assert.False(offered[1].HasAttribute("current-checked"));
        Assert.Equal(GroupScopePicker.Offered + 1, offered.Count);
        Assert.Equal(1, organisation.NameRequests);
    }

    [Fact]
    public void A_member_who_is_not_an_admin_sees_the_admin_switch_locked_and_why()
    {
        var editor = RenderEditor(AccessDraft.New(PresetRoles.All), mayToggleAdmin: false);

        Assert.True(editor.Find("fluent-switch#admin").HasAttribute("disabled"));
        Assert.Contains("Only admins turn this on or off.", editor.Find(".admin-toggle").TextContent);
    }

    [Fact]
    public void An_admin_sees_the_admin_switch_free_without_the_note()
    {
        var editor = RenderEditor(AccessDraft.New(PresetRoles.All));

        Assert.False(editor.Find("fluent-switch#admin").HasAttribute("disabled"));
        Assert.DoesNotContain("Only admins turn this on or off.", editor.Find(".admin-toggle").TextContent);
    }

    [Fact]
    public void None_is_offered_only_where_it_is_allowed()
    {
        var forMember = RenderEditor(AccessDraft.New(PresetRoles.All));
        var forInvitation = RenderEditor(AccessDraft.New(PresetRoles.All), allowNone: false);

        Assert.Equal(["Manager", "Staff", "None (blocked)", "Custom"], PresetsOffered(forMember));
        Assert.Equal(["Manager", "Staff", "Custom"], PresetsOffered(forInvitation));
    }

    [Fact]
    public async Task Choosing_none_warns_that_the_member_is_blocked()
    {
        var editor = RenderEditor(AccessDraft.New(PresetRoles.All));

        await ChooseAsync(editor.Find("fluent-radio-group[name=preset]"), "none");

        Assert.Equal(Catalogue.RoleHelp("none"), editor.Find(".role-help").TextContent);
        Assert.Contains("None blocks the member", editor.Markup);
        Assert.Empty(editor.FindAll("fieldset.group-scope"));
    }

    [Fact]
    public async Task Every_change_is_reported_to_the_page()
    {
        var changes = 0;
        var editor = Render<AccessEditor>(parameters => parameters
            .Add(e => e.Draft, AccessDraft.New(PresetRoles.All))
            .Add(e => e.Roles, PresetRoles.All)
            .Add(e => e.Directory, new InMemoryGroups(Youth, Leaders).Directory())
            .Add(e => e.Changed, () => changes++));

        await ChooseAsync(editor.Find("fluent-radio-group[name=preset]"), "custom");
        await SwitchAsync(editor.Find(".toggle[data-permission=measure] fluent-switch"), on: true);
        await SwitchAsync(editor.Find("fluent-switch#admin"), on: true);

        Assert.Equal(3, changes);
    }

    private IRenderedComponent<AccessEditor> RenderEditor(AccessDraft draft, bool mayToggleAdmin = true, bool allowNone = true) =>
        RenderEditor(draft, new InMemoryGroups(Youth, Leaders), mayToggleAdmin, allowNone);

    private IRenderedComponent<AccessEditor> RenderEditor(AccessDraft draft, InMemoryGroups organisation, bool mayToggleAdmin = true, bool allowNone = true) =>
        Render<AccessEditor>(parameters => parameters
            .Add(e => e.Draft, draft)
            .Add(e => e.Roles, PresetRoles.All)
            .Add(e => e.Directory, organisation.Directory())
            .Add(e => e.MayToggleAdmin, mayToggleAdmin)
            .Add(e => e.AllowNone, allowNone));

    private static string? ScopeShown(IRenderedComponent<AccessEditor> editor, string picker) =>
        editor.Find($"fluent-radio-group[name={picker}-scope]").GetAttribute("value");

    private static IEnumerable<string> GroupsOffered(IRenderedComponent<AccessEditor> editor, string picker) =>
        editor.FindAll($"fieldset[data-permission={picker}] fluent-checkbox").Select(checkbox => checkbox.TextContent.Trim());

    private static IEnumerable<string> PresetsOffered(IRenderedComponent<AccessEditor> editor) =>
        editor.FindAll("fluent-radio-group[name=preset] fluent-radio").Select(radio => radio.TextContent.Trim());

    // The Fluent web components raise their own events: a radio group its change, a switch and a checkbox their checked change.
    private static Task ChooseAsync(IElement radioGroup, string value) =>
        radioGroup.TriggerEventAsync("onradiogroupchange", new ChangeEventArgs { Value = value });

    private static Task SwitchAsync(IElement fluentSwitch, bool on) =>
        fluentSwitch.TriggerEventAsync("onswitchcheckedchange", new CheckboxChangeEventArgs { Checked = on });

    private static Task SearchAsync(IRenderedComponent<AccessEditor> editor, string picker, string text) =>
        editor.Find($"fieldset[data-permission={picker}] fluent-search").TriggerEventAsync("oninput", new ChangeEventArgs { Value = text });

    private static Task TickAsync(IElement checkbox, bool ticked) =>
        checkbox.TriggerEventAsync("oncheckedchange", new CheckboxChangeEventArgs { Checked = ticked });
}
