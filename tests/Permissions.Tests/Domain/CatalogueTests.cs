using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

public sealed class CatalogueTests
{
    [Fact]
    public void The_catalogue_has_five_group_scoped_three_level_and_five_toggle_permissions()
    {
        Assert.Equal(
            ["message_inbox", "prayer_requests_inbox", "stories_inbox", "broadcasts", "people"],
            Catalogue.All.Where(p => Catalogue.KindOf(p) == PermissionKind.GroupScoped).Select(Catalogue.NameOf));
        Assert.Equal(
            ["keywords", "series", "surveys"],
            Catalogue.All.Where(p => Catalogue.KindOf(p) == PermissionKind.Level).Select(Catalogue.NameOf));
        Assert.Equal(
            ["engage_settings", "explorer_conversations", "explorer_settings", "measure", "admin_settings"],
            Catalogue.All.Where(p => Catalogue.KindOf(p) == PermissionKind.Toggle).Select(Catalogue.NameOf));
    }

    [Fact]
    public void Identity_knows_the_fingerprint_of_the_catalogue_and_the_presets()
    {
        // What an effective map says for each kind of stored access: a change here changes every member's map with no event.
        var maps = new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>
        {
            ["admin"] = PermissionsJson.Write(Access.AutoAdmin.Effective, everyName: true),
            ["manager"] = PermissionsJson.Write(Access.Manager().Effective, everyName: true),
            ["staff"] = PermissionsJson.Write(Access.Staff(null).Effective, everyName: true),
            ["nothing"] = PermissionsJson.Write(PermissionSet.Empty, everyName: true),
        };
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(maps))))[..16];

        Assert.True(
            fingerprint == PermissionCatalogue.Fingerprint,
            $"The catalogue or a preset changed: set PermissionCatalogue.Fingerprint to \"{fingerprint}\" (identity then empties its copy of members' access at start).");
    }

    [Theory]
    [InlineData("message_inbox", null, true, "view")]
    [InlineData("message_inbox", "export", true, "export")]
    [InlineData("message_inbox", "send", false, null)]
    [InlineData("broadcasts", "send", true, "send")]
    [InlineData("broadcasts", "create", false, null)]
    [InlineData("people", "create", true, "create")]
    [InlineData("people", "import", true, "import")]
    [InlineData("people", "send", false, null)]
    [InlineData("keywords", null, true, "view")]
    [InlineData("surveys", "edit", true, "edit")]
    [InlineData("series", "export", false, null)]
    [InlineData("measure", null, true, "")]
    [InlineData("measure", "view", false, null)]
    [InlineData("admin_settings", "edit", false, null)]
    public void Each_permission_has_its_own_actions(string permission, string? action, bool valid, string? resolved)
    {
        Assert.True(Catalogue.TryParse(permission, out Permission parsed));
        Assert.True(Catalogue.TryParseAction(action, out var parsedAction));

        Assert.Equal(valid, Catalogue.TryResolve(parsed, parsedAction, out var result));
        if (valid)
        {
            Assert.Equal(resolved, Catalogue.NameOf(result));
        }
    }

    [Theory]
    [InlineData("Message_Inbox")]
    [InlineData("admin")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_are_not_permissions(string? name) => Assert.False(Catalogue.TryParse(name, out Permission _));
}
