using System.Text.Json;
using TeamPlatform.Console.Infrastructure.Api;

namespace TeamPlatform.Console.Features.Shared;

/// <summary>
/// Which group-scoped permissions an access holds on one group, read from the access document (docs/permissions.md#access):
/// what a group admin's page shows ticked, and what they may tick.
/// </summary>
public static class GroupGrants
{
    /// <summary>Every group, or the groups named, that <paramref name="access"/> grants <paramref name="permission"/> on.</summary>
    public static (bool EveryGroup, IReadOnlyList<Guid> Groups) Scope(AccessDocument access, string permission)
    {
        if (access.IsAdmin == true || access.Role is "admin" or "manager")
        {
            return (true, []);
        }

        if (access.Role == "staff")
        {
            return permission != "message_inbox" ? (false, []) : access.GroupIds is { Count: > 0 } groups ? (false, groups) : (true, []);
        }

        return access.Permissions?.GetValueOrDefault(permission) is { ValueKind: JsonValueKind.Object } grant ? Read(grant) : (false, []);
    }

    /// <summary>Whether the member the effective map belongs to holds <paramref name="permission"/> on <paramref name="group"/>.</summary>
    public static bool Holds(IReadOnlyDictionary<string, JsonElement> effective, string permission, Guid group) =>
        effective.GetValueOrDefault(permission) is { ValueKind: JsonValueKind.Object } grant && Read(grant) is var (every, groups) && (every || groups.Contains(group));

    public static bool Covers(AccessDocument access, string permission, Guid group) =>
        Scope(access, permission) is var (every, groups) && (every || groups.Contains(group));

    private static (bool EveryGroup, IReadOnlyList<Guid> Groups) Read(JsonElement grant) =>
        grant.TryGetProperty("scope", out var scope) ? scope.GetString() switch
        {
            "all" => (true, []),
            "groups" when grant.TryGetProperty("groupIds", out var ids) => (false, ids.EnumerateArray().Select(id => id.GetGuid()).ToList()),
            _ => (false, []),
        } : (false, []);
}
