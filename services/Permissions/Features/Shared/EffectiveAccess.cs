using System.Text.Json;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>
/// What a member holds, as <c>effective-permissions</c>, the answer of <c>POST /internal/members</c> and
/// <c>MemberAccessChanged</c> all show it: one shape, so that identity's copy reads the same from each.
/// </summary>
/// <param name="GroupIds">The staff preset's groups; empty for the other presets.</param>
/// <param name="Permissions">Every catalogue name with its scope, level or toggle.</param>
/// <param name="GroupAdminOf">The groups the member administers (docs/permissions.md#group-admins); none while not active.</param>
public sealed record EffectiveAccess(IReadOnlyList<Guid> GroupIds, IReadOnlyDictionary<string, JsonElement> Permissions, IReadOnlyList<Guid> GroupAdminOf)
{
    public static EffectiveAccess Of(Member member) => new(
        member.Access.StaffGroups?.Order().ToList() ?? [],
        PermissionsJson.Write(member.EffectivePermissions, everyName: true),
        member.Status == MemberStatus.Active ? member.Access.GroupAdminOf.Order().ToList() : []);
}
