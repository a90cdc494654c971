using TeamPlatform.Console.Infrastructure.Api;
using TeamPlatform.Permissions.Features.ListRoles;

namespace TeamPlatform.Console.Tests;

/// <summary>The presets as <c>GET /api/roles</c> answers them: the permission service's own list, not a copy of it.</summary>
public static class PresetRoles
{
    public static readonly IReadOnlyList<Role> All =
        ListRolesEndpoint.Handle().Value!.Items.Select(role => new Role(role.Role, role.Description, role.Permissions)).ToList();
}
