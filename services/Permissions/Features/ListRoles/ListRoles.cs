using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;

namespace TeamPlatform.Permissions.Features.ListRoles;

/// <summary>One preset and what it grants: every catalogue name, as effective permissions show them.</summary>
public sealed record RoleView(string Role, string Description, IReadOnlyDictionary<string, JsonElement> Permissions);

/// <summary><c>GET /api/roles</c> — the "what can each role do" help (docs/permissions.md#presets).</summary>
public static class ListRolesEndpoint
{
    private static readonly IReadOnlyList<RoleView> RoleViews =
    [
        new(Roles.Admin,
            "Everything, locked on (the isAdmin toggle). The member's preset or custom set is kept and comes back when the toggle is turned off.",
            PermissionsJson.Write(PermissionSet.Everything, everyName: true)),
        new(Roles.Manager,
            "Everything except Settings (engage_settings, explorer_settings) and staff management (admin_settings); every group, create and view.",
            PermissionsJson.Write(Presets.Manager, everyName: true)),
        new(Roles.Staff,
            "The chat section (message_inbox) only: for every group, or only for the groups given in groupIds.",
            PermissionsJson.Write(Presets.Staff(null), everyName: true)),
        new(Roles.None,
            "No access: the member is blocked and cannot log in. Give another role to unblock.",
            PermissionsJson.Write(PermissionSet.Empty, everyName: true)),
        new(Roles.Custom,
            "Exactly the permissions given. With none at all the member logs in and manages only their own profile.",
            PermissionsJson.Write(PermissionSet.Empty, everyName: true)),
    ];

    public static Ok<Paged<RoleView>> Handle() => TypedResults.Ok(new Paged<RoleView>(RoleViews, RoleViews.Count, 1, RoleViews.Count));
}
