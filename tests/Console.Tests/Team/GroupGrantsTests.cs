using System.Text.Json;
using TeamPlatform.Console.Features.Shared;
using TeamPlatform.Console.Infrastructure.Api;
using Xunit;

namespace TeamPlatform.Console.Tests.Team;

/// <summary>What a group admin's page shows a member holding on one of their groups.</summary>
public sealed class GroupGrantsTests
{
    private static readonly Guid Youth = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Choir = Guid.Parse("00000000-0000-0000-0000-000000000002");

    private static AccessDraft Grants(AccessDocument access, bool isAdmin = false) => AccessDraft.From(access, isAdmin, PresetRoles.All);

    [Fact]
    public void Admins_and_managers_hold_every_group_scoped_permission_on_every_group()
    {
        foreach (var grants in new[] { Grants(new AccessDocument("manager")), Grants(new AccessDocument("staff", true), isAdmin: true) })
        {
            Assert.All(Catalogue.OfKind(PermissionKind.GroupScoped), permission =>
            {
                Assert.True(GroupGrants.EveryGroup(grants, permission.Name));
                Assert.True(GroupGrants.Covers(grants, permission.Name, Youth));
            });
        }
    }

    [Fact]
    public void Staff_hold_the_inbox_only_on_their_groups_or_on_every_group_when_none_are_named()
    {
        var named = Grants(new AccessDocument("staff", GroupIds: [Youth]));
        var everywhere = Grants(new AccessDocument("staff"));

        Assert.False(GroupGrants.EveryGroup(named, "message_inbox"));
        Assert.True(GroupGrants.Covers(named, "message_inbox", Youth));
        Assert.False(GroupGrants.Covers(named, "message_inbox", Choir));
        Assert.False(GroupGrants.Covers(named, "people", Youth));
        Assert.True(GroupGrants.EveryGroup(everywhere, "message_inbox"));
        Assert.False(GroupGrants.Covers(everywhere, "broadcasts", Youth));
    }

    [Fact]
    public void A_custom_set_holds_what_it_names_and_a_blocked_member_nothing()
    {
        var custom = Grants(new AccessDocument("custom", Permissions: new Dictionary<string, JsonElement>
        {
            ["people"] = JsonSerializer.SerializeToElement(new { scope = "all" }),
            ["broadcasts"] = JsonSerializer.SerializeToElement(new { scope = "groups", groupIds = new[] { Choir } }),
        }));
        var blocked = Grants(new AccessDocument("none"));

        Assert.True(GroupGrants.EveryGroup(custom, "people"));
        Assert.True(GroupGrants.Covers(custom, "broadcasts", Choir));
        Assert.False(GroupGrants.Covers(custom, "broadcasts", Youth));
        Assert.False(GroupGrants.Covers(custom, "message_inbox", Youth));
        Assert.All(Catalogue.OfKind(PermissionKind.GroupScoped), permission => Assert.False(GroupGrants.Covers(blocked, permission.Name, Youth)));
    }

    [Fact]
    public void What_the_acting_member_holds_is_read_from_their_effective_permissions()
    {
        var effective = new Dictionary<string, JsonElement>
        {
            ["message_inbox"] = JsonSerializer.SerializeToElement(new { scope = "groups", groupIds = new[] { Youth } }),
            ["people"] = JsonSerializer.SerializeToElement(new { scope = "all" }),
            ["broadcasts"] = JsonSerializer.SerializeToElement(new { scope = "off" }),
        };

        Assert.True(GroupGrants.Holds(effective, "message_inbox", Youth));
        Assert.False(GroupGrants.Holds(effective, "message_inbox", Choir));
        Assert.True(GroupGrants.Holds(effective, "people", Choir));
        Assert.False(GroupGrants.Holds(effective, "broadcasts", Youth));
        Assert.False(GroupGrants.Holds(effective, "surveys", Youth));
    }
}
