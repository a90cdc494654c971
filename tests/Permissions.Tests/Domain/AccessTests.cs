using System.Text.Json;
using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

public sealed class AccessTests
{
    private static readonly Guid Youth = Guid.NewGuid();
    private static readonly Guid Leaders = Guid.NewGuid();

    [Fact]
    public void Manager_has_everything_but_settings_and_staff_management()
    {
        var manager = Presets.Manager;

        foreach (var permission in Catalogue.All)
        {
            var expected = permission is not (Permission.EngageSettings or Permission.ExplorerSettings or Permission.AdminSettings);
            Assert.Equal(expected, manager.Grants(permission));
        }

        Assert.Equal(GroupScope.All, manager.Scope(Permission.People).Scope);
        Assert.Equal(Level.Create, manager.LevelOf(Permission.Surveys));
    }

    [Fact]
    public void Staff_has_the_inbox_only_for_all_groups_or_the_given_ones()
    {
        var everywhere = Access.Staff(null).Effective;
        var someGroups = Access.Staff([Youth, Leaders]).Effective;

        Assert.Equal([Permission.MessageInbox], Catalogue.All.Where(everywhere.Grants));
        Assert.Equal(GroupScope.All, everywhere.Scope(Permission.MessageInbox).Scope);
        Assert.Equal([Permission.MessageInbox], Catalogue.All.Where(someGroups.Grants));
        Assert.True(someGroups.Scope(Permission.MessageInbox).Groups.SetEquals([Youth, Leaders]));
        Assert.Equal(everywhere, Access.Staff([]).Effective);
    }

    [Fact]
    public void None_grants_nothing_and_custom_grants_exactly_what_is_given()
    {
        var custom = Resolve("""{"role": "custom", "permissions": {"people": {"scope": "groups", "groupIds": ["GROUP"]}, "series": "view", "measure": true, "engage_settings": false}}"""
            .Replace("GROUP", Youth.ToString()));

        Assert.True(Access.NoAccess.Effective.IsEmpty);
        Assert.Equal([Permission.People, Permission.Series, Permission.Measure], Catalogue.All.Where(custom.Effective.Grants));
        Assert.Equal(Level.View, custom.Effective.LevelOf(Permission.Series));
        Assert.Equal("custom", custom.Role);
    }

    [Fact]
    public void The_admin_toggle_turns_everything_on_and_keeps_the_underlying_set()
    {
        var staff = Access.Staff([Youth]);

        var admin = Resolve("""{"role": "admin"}""", staff);

        Assert.True(admin.IsAdmin);
        Assert.Equal("admin", admin.Role);
        Assert.Equal(PermissionSet.Everything, admin.Effective);
        Assert.Equal(staff.Underlying, admin.Underlying);

        // The stored document is the underlying preset plus the toggle; sending it back with the toggle off restores staff.
        var stored = AccessDocument.From(admin);
        Assert.Equal("staff", stored.Role);
        Assert.True(stored.IsAdmin);
        Assert.Null((stored with { IsAdmin = false }).Resolve(admin, out var back));
        Assert.Equal(staff, back);
    }

    [Fact]
    public void Role_admin_for_a_member_without_access_gives_an_empty_underlying_set()
    {
        var admin = Resolve("""{"role": "admin"}""", Access.NoAccess);

        Assert.True(admin.IsAdmin);
        Assert.Equal(Preset.Custom, admin.Preset);
        Assert.True(admin.Underlying.IsEmpty);
    }

    [Fact]
    public void A_preset_with_isAdmin_true_is_an_admin_over_that_preset()
    {
        var access = Resolve("""{"role": "manager", "isAdmin": true}""");

        Assert.True(access.IsAdmin);
        Assert.Equal(Presets.Manager, access.Underlying);
        Assert.False(Resolve("""{"role": "manager"}""", access).IsAdmin);
    }

    [Theory]
    [InlineData("""{"role": "none", "isAdmin": true}""")]
    [InlineData("""{"role": "admin", "isAdmin": false}""")]
    [InlineData("""{"role": "manager", "permissions": {"measure": true}}""")]
    [InlineData("""{"role": "staff", "permissions": {}}""")]
    [InlineData("""{"role": "manager", "groupIds": []}""")]
    [InlineData("""{"role": "custom", "groupIds": []}""")]
    [InlineData("""{"role": "admin", "groupIds": []}""")]
    [InlineData("""{"role": "owner"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"role": "custom", "permissions": {"billing": true}}""")]
    [InlineData("""{"role": "custom", "permissions": {"measure": "on"}}""")]
    [InlineData("""{"role": "custom", "permissions": {"keywords": "edit"}}""")]
    [InlineData("""{"role": "custom", "permissions": {"keywords": true}}""")]
    [InlineData("""{"role": "custom", "permissions": {"people": "all"}}""")]
    [InlineData("""{"role": "custom", "permissions": {"people": {"scope": "some"}}}""")]
    [InlineData("""{"role": "custom", "permissions": {"people": {"scope": "groups"}}}""")]
    [InlineData("""{"role": "custom", "permissions": {"people": {"scope": "groups", "groupIds": []}}}""")]
    [InlineData("""{"role": "custom", "permissions": {"people": {"scope": "groups", "groupIds": ["x"]}}}""")]
    [InlineData("""{"role": "custom", "permissions": {"people": {"scope": "all", "groupIds": []}}}""")]
    [InlineData("""{"role": "custom", "permissions": {"people": {"scope": "all", "extra": 1}}}""")]
    public void Documents_that_the_document_rules_forbid_are_refused(string json)
    {
        var refusal = Document(json).Resolve(Access.Nothing, out var access);

        Assert.Equal(RefusalKind.Invalid, refusal?.Kind);
        Assert.Equal(Access.NoAccess, access);
    }

    [Fact]
    public void Deleting_a_group_strips_it_and_never_widens()
    {
        var staff = Access.Staff([Youth, Leaders]);
        var lastGroup = Access.Staff([Youth]);
        var custom = Resolve($$$"""{"role": "custom", "permissions": {"broadcasts": {"scope": "groups", "groupIds": ["{{{Youth}}}"]}, "people": {"scope": "all"} } }""");

        Assert.True(staff.WithoutGroup(Youth).StaffGroups!.SetEquals([Leaders]));
        var stripped = lastGroup.WithoutGroup(Youth);
        Assert.False(stripped.Effective.Grants(Permission.MessageInbox));
        Assert.Equal(Preset.Custom, stripped.Preset);
        var strippedCustom = custom.WithoutGroup(Youth).Effective;
        Assert.Equal(GroupScope.Off, strippedCustom.Scope(Permission.Broadcasts).Scope);
        Assert.Equal(GroupScope.All, strippedCustom.Scope(Permission.People).Scope);
        Assert.Same(custom, custom.WithoutGroup(Guid.NewGuid()));
    }

    [Fact]
    public void A_stored_access_reads_back_the_same()
    {
        var accesses = new[]
        {
            Access.NoAccess,
            Access.Nothing,
            Access.AutoAdmin,
            Access.Manager(),
            Access.Manager(isAdmin: true),
            Access.Staff(null),
            Access.Staff([Youth, Leaders], isAdmin: true),
            Resolve($$$"""{"role": "custom", "permissions": {"stories_inbox": {"scope": "groups", "groupIds": ["{{{Youth}}}"]}, "keywords": "create", "admin_settings": true} }"""),
        };

        foreach (var access in accesses)
        {
            var json = Infrastructure.AccessStorage.Write(access);
            Assert.Equal(access, Infrastructure.AccessStorage.Read(json));
        }
    }

    [Fact]
    public void A_set_is_within_another_when_it_gives_nothing_more()
    {
        var holder = Resolve($$$"""{"role": "custom", "permissions": {"people": {"scope": "groups", "groupIds": ["{{{Youth}}}", "{{{Leaders}}}"]}, "message_inbox": {"scope": "all"}, "keywords": "view", "measure": true} }""").Effective;

        Assert.True(Set($$$"""{"people": {"scope": "groups", "groupIds": ["{{{Youth}}}"]} }""").IsWithin(holder));
        Assert.True(Set($$$"""{"message_inbox": {"scope": "groups", "groupIds": ["{{{Youth}}}"]}, "keywords": "view", "measure": true}""").IsWithin(holder));
        Assert.False(Set("""{"people": {"scope": "all"}}""").IsWithin(holder));
        Assert.False(Set($$$"""{"people": {"scope": "groups", "groupIds": ["{{{Guid.NewGuid()}}}"]} }""").IsWithin(holder));
        Assert.False(Set("""{"keywords": "create"}""").IsWithin(holder));
        Assert.False(Set("""{"engage_settings": true}""").IsWithin(holder));
        Assert.True(PermissionSet.Empty.IsWithin(holder));
        Assert.True(PermissionSet.Everything.IsWithin(PermissionSet.Everything));
    }

    private static PermissionSet Set(string permissions)
    {
        Assert.Null(PermissionsJson.Read(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(permissions), out var set));
        return set;
    }

    private static Access Resolve(string json, Access? current = null)
    {
        Assert.Null(Document(json).Resolve(current ?? Access.Nothing, out var access));
        return access;
    }

    [Fact]
    public void An_access_document_another_service_sent_with_an_unknown_member_is_refused_in_the_apis_words()
    {
        var refusal = AccessDocument.Read(JsonDocument.Parse("""{"role": "staff", "colour": "red"}""").RootElement, out var document);

        Assert.Null(document);
        Assert.Equal("access is not an access document: 'colour' is not a member of this request.", refusal?.Detail);
    }

    private static AccessDocument Document(string json) => JsonSerializer.Deserialize<AccessDocument>(json, JsonSerializerOptions.Web)!;
}
