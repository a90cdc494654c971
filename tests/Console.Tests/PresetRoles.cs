using System.Text.Json;
using TeamPlatform.Console.Infrastructure.Api;

namespace TeamPlatform.Console.Tests;

/// <summary>
/// The presets as <c>GET /api/roles</c> answers them (docs/permissions.md): every catalogue name, group-scoped
/// permissions as <c>{scope}</c>, levels as strings, toggles as booleans.
/// </summary>
public static class PresetRoles
{
    public const string ManagerDescription =
        "Everything except Settings (engage_settings, explorer_settings) and staff management (admin_settings); every group, create and view.";

    public const string StaffDescription = "The chat section (message_inbox) only: for every group, or only for the groups given in groupIds.";

    public const string NoneDescription = "No access: the member is blocked and cannot log in. Give another role to unblock.";

    public static readonly Role Admin = new("admin", "Everything, locked on (the isAdmin toggle).", Grant(_ => true));

    public static readonly Role Manager = new("manager", ManagerDescription,
        Grant(name => name is not ("engage_settings" or "explorer_settings" or Catalogue.AdminSettings)));

    public static readonly Role Staff = new("staff", StaffDescription, Grant(name => name == "message_inbox"));

    public static readonly Role None = new("none", NoneDescription, Grant(_ => false));

    public static readonly Role Custom = new("custom", "Exactly the permissions given.", Grant(_ => false));

    public static readonly IReadOnlyList<Role> All = [Admin, Manager, Staff, None, Custom];

    private static Dictionary<string, JsonElement> Grant(Func<string, bool> grants) => Catalogue.All.ToDictionary(
        permission => permission.Name,
        permission => permission.Kind switch
        {
            PermissionKind.GroupScoped => JsonSerializer.SerializeToElement(new { scope = grants(permission.Name) ? "all" : "off" }),
            PermissionKind.Level => JsonSerializer.SerializeToElement(grants(permission.Name) ? "create" : "none"),
            _ => JsonSerializer.SerializeToElement(grants(permission.Name)),
        });
}
