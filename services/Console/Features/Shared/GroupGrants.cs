using System.Text.Json;

namespace TeamPlatform.Console.Features.Shared;

/// <summary>
/// Which group-scoped permissions a member holds on one group: what a group admin's page shows ticked, and what they may
/// tick. A member's grants come from their <see cref="AccessDraft"/>, which already reads the access document and the presets.
/// </summary>
public static class GroupGrants
{
    /// <summary>Whether <paramref name="access"/> grants <paramref name="permission"/> on every group (only an admin narrows that).</summary>
    public static bool EveryGroup(AccessDraft access, string permission) => access.ScopeOf(permission).Scope == GroupScope.All;

    public static bool Covers(AccessDraft access, string permission, Guid group) => access.ScopeOf(permission).Covers(group);

    /// <summary>Whether the member the effective map belongs to holds <paramref name="permission"/> on <paramref name="group"/>.</summary>
    public static bool Holds(IReadOnlyDictionary<string, JsonElement> effective, string permission, Guid group) =>
        effective.TryGetValue(permission, out var grant) && GroupChoice.Read(grant).Covers(group);
}
