using System.Text.Json;
using TeamPlatform.Console.Infrastructure.Api;

namespace TeamPlatform.Console.Features.Audit;

/// <summary>An audit entry's before or after state in a line: status, role or admin, the groups administered, and the facts of other services.</summary>
public static class AuditSummary
{
    /// <param name="groupName">The name of a group, as the page has learnt it.</param>
    public static string Of(JsonElement? state, Func<Guid, string> groupName)
    {
        if (state is not { ValueKind: JsonValueKind.Object } value)
        {
            return "";
        }

        var parts = new List<string>();
        if (value.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String)
        {
            parts.Add(Catalogue.StatusLabel(status.GetString()!));
        }

        if (value.TryGetProperty("isAdmin", out var admin) && admin.ValueKind == JsonValueKind.True)
        {
            parts.Add("Admin");
        }
        else if (value.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String)
        {
            parts.Add(Catalogue.RoleLabel(role.GetString()!));
        }

        if (GroupsAdministered(state) is { Count: > 0 } administered)
        {
            parts.Add($"Group admin of {string.Join(", ", administered.Select(groupName).Order(StringComparer.CurrentCultureIgnoreCase))}");
        }

        // Facts gathered from the other services: an invitation's phone, why sessions ended.
        if (value.TryGetProperty("phone", out var phone) && phone.ValueKind == JsonValueKind.String)
        {
            parts.Add(phone.GetString()!);
        }

        if (value.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String)
        {
            parts.Add(reason.GetString()!.Replace('_', ' '));
        }

        return string.Join(" · ", parts);
    }

    /// <summary>The groups a member's state says they administer (its access's <c>groupAdminOf</c>); none for other states.</summary>
    public static IReadOnlyList<Guid> GroupsAdministered(JsonElement? state) =>
        state is { ValueKind: JsonValueKind.Object } value
        && value.TryGetProperty("access", out var access) && access.ValueKind == JsonValueKind.Object
        && access.TryGetProperty("groupAdminOf", out var groups) && groups.ValueKind == JsonValueKind.Array
            ? groups.EnumerateArray().Select(id => id.GetGuid()).ToList()
            : [];
}
