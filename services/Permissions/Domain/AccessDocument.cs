using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamPlatform.Permissions.Domain;

/// <summary>
/// The access document of SPEC "Shapes": <c>{"role", "isAdmin"?, "groupIds"?, "permissions"?}</c>. As input
/// it is resolved against the member's current access (<c>role: admin</c> turns the toggle on and keeps the
/// underlying set); as output it is the member's stored access, which can be sent back unchanged.
/// </summary>
public sealed record AccessDocument
{
    public const int MaxGroupIds = 1000;

    // As the API reads and writes it: camelCase, and a misspelt member refused rather than ignored.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string? Role { get; init; }

    public bool? IsAdmin { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Guid>? GroupIds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, JsonElement>? Permissions { get; init; }

    /// <summary>The document that gives back exactly <paramref name="access"/>: the underlying preset plus the toggle.</summary>
    public static AccessDocument From(Access access) => new()
    {
        Role = Roles.NameOf(access.Preset),
        IsAdmin = access.IsAdmin,
        GroupIds = access.StaffGroups?.Order().ToList(),
        Permissions = access.Preset == Preset.Custom ? PermissionsJson.Write(access.Custom, everyName: false) : null,
    };

    /// <summary>
    /// The document as another service sent it (internal records carry it unread); null when absent. Refuses
    /// (<c>validation_failed</c>) what is not an access document, as the API's own binding does.
    /// </summary>
    public static AccessDocument? Read(JsonElement? json)
    {
        if (json is not { ValueKind: not JsonValueKind.Null } element)
        {
            return null;
        }

        try
        {
            return element.Deserialize<AccessDocument>(Json);
        }
        catch (JsonException exception)
        {
            throw Invalid($"access is not an access document: {exception.Message}");
        }
    }

    /// <summary>The document as internal records carry it.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, Json);

    /// <summary>Every group the document names, for checking that they exist.</summary>
    public IEnumerable<Guid> ReferencedGroups()
    {
        var groups = GroupIds ?? [];
        if (Permissions is null)
        {
            return groups;
        }

        return groups.Concat(Permissions.Values
            .Where(v => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("groupIds", out var ids) && ids.ValueKind == JsonValueKind.Array)
            .SelectMany(v => v.GetProperty("groupIds").EnumerateArray())
            .Select(id => id.TryGetGuid(out var guid) ? guid : Guid.Empty)
            .Where(id => id != Guid.Empty));
    }

    /// <summary>
    /// The access this document asks for, given the member's <paramref name="current"/> access. Refuses
    /// (<c>validation_failed</c>) what SPEC §3 forbids: <c>none</c> with the toggle, <c>permissions</c> without
    /// <c>custom</c>, top-level <c>groupIds</c> without <c>staff</c>.
    /// </summary>
    public Access Resolve(Access current)
    {
        if (!Domain.Roles.TryParse(Role, out var preset, out var adminShorthand))
        {
            throw Invalid($"role must be one of {string.Join(", ", Domain.Roles.All)}.");
        }

        if (Permissions is not null && (adminShorthand || preset != Preset.Custom))
        {
            throw Invalid("permissions is accepted only with role custom.");
        }

        if (GroupIds is not null && (adminShorthand || preset != Preset.Staff))
        {
            throw Invalid("groupIds is accepted only with role staff.");
        }

        if (GroupIds is { Count: > MaxGroupIds })
        {
            throw Invalid($"groupIds may name at most {MaxGroupIds} groups.");
        }

        if (adminShorthand)
        {
            // A member without access (pending, blocked) has no underlying set to keep: they get an empty one.
            return IsAdmin == false
                ? throw Invalid("role admin means isAdmin: true.")
                : (current.Preset == Preset.None ? Access.Nothing : current).WithAdmin(true);
        }

        if (preset == Preset.None && IsAdmin == true)
        {
            throw Invalid("role none cannot have the admin toggle on.");
        }

        var isAdmin = IsAdmin ?? false;
        return preset switch
        {
            // An empty list is "no group chosen", which the staff preset reads as every group (G15).
            Preset.Staff => Access.Staff(GroupIds, isAdmin),
            Preset.Custom => Access.CustomSet(PermissionsJson.Read(Permissions), isAdmin),
            Preset.Manager => Access.Manager(isAdmin),
            _ => Access.NoAccess,
        };
    }

    private static DomainException Invalid(string message) => new(DomainErrors.Validation, message);
}

/// <summary>The <c>permissions</c> map of the access document: catalogue names to scopes, levels and toggles.</summary>
public static class PermissionsJson
{
    private static readonly JsonElement ScopeAll = JsonSerializer.SerializeToElement(new { scope = "all" });
    private static readonly JsonElement ScopeOff = JsonSerializer.SerializeToElement(new { scope = "off" });
    private static readonly JsonElement[] Levels = new[] { "none", "view", "create" }.Select(l => JsonSerializer.SerializeToElement(l)).ToArray();
    private static readonly JsonElement On = JsonSerializer.SerializeToElement(true);
    private static readonly JsonElement Off = JsonSerializer.SerializeToElement(false);

    /// <summary>Reads a permissions map; an absent key is off. Throws <c>validation_failed</c> naming the bad entry.</summary>
    public static PermissionSet Read(IReadOnlyDictionary<string, JsonElement>? permissions)
    {
        var builder = new PermissionSet.Builder();
        foreach (var (name, value) in permissions ?? new Dictionary<string, JsonElement>())
        {
            if (!Catalogue.TryParse(name, out var permission))
            {
                throw Invalid($"permissions.{name} is not a permission of the catalogue.");
            }

            switch (Catalogue.KindOf(permission))
            {
                case PermissionKind.GroupScoped:
                    builder.Scope(permission, ReadScope(name, value));
                    break;
                case PermissionKind.Level:
                    builder.Level(permission, value.ValueKind == JsonValueKind.String
                        ? value.GetString() switch
                        {
                            "none" => Level.None,
                            "view" => Level.View,
                            "create" => Level.Create,
                            _ => throw Invalid($"permissions.{name} must be none, view or create."),
                        }
                        : throw Invalid($"permissions.{name} must be none, view or create."));
                    break;
                default:
                    builder.Toggle(permission, value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Invalid($"permissions.{name} must be true or false."),
                    });
                    break;
            }
        }

        return builder.Build();
    }

    /// <summary>Writes a set: only what it grants, or (for effective permissions) every catalogue name.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Write(PermissionSet permissions, bool everyName)
    {
        var map = new Dictionary<string, JsonElement>();
        foreach (var permission in Catalogue.All)
        {
            if (!everyName && !permissions.Grants(permission))
            {
                continue;
            }

            map[Catalogue.NameOf(permission)] = Catalogue.KindOf(permission) switch
            {
                PermissionKind.GroupScoped => WriteScope(permissions.Scope(permission)),
                PermissionKind.Level => Levels[(int)permissions.LevelOf(permission)],
                _ => permissions.IsOn(permission) ? On : Off,
            };
        }

        return map;
    }

    private static JsonElement WriteScope(GroupGrant grant) => grant.Scope switch
    {
        GroupScope.All => ScopeAll,
        GroupScope.Off => ScopeOff,
        _ => JsonSerializer.SerializeToElement(new { scope = "groups", groupIds = grant.Groups.Order().ToArray() }),
    };

    private static GroupGrant ReadScope(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"permissions.{name} must be {{\"scope\": \"all\"}}, {{\"scope\": \"groups\", \"groupIds\": [...]}} or {{\"scope\": \"off\"}}.");
        }

        string? scope = null;
        List<Guid>? groups = null;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "scope" when property.Value.ValueKind == JsonValueKind.String:
                    scope = property.Value.GetString();
                    break;
                case "groupIds" when property.Value.ValueKind == JsonValueKind.Array:
                    groups = [];
                    foreach (var id in property.Value.EnumerateArray())
                    {
                        groups.Add(id.ValueKind == JsonValueKind.String && id.TryGetGuid(out var guid)
                            ? guid
                            : throw Invalid($"permissions.{name}.groupIds must hold group ids."));
                    }

                    break;
                default:
                    throw Invalid($"permissions.{name}.{property.Name} is not expected here.");
            }
        }

        return scope switch
        {
            "all" when groups is null => GroupGrant.All,
            "off" when groups is null => GroupGrant.Off,
            "groups" when groups is { Count: > 0 and <= AccessDocument.MaxGroupIds } => GroupGrant.ForGroups(groups),
            "groups" => throw Invalid($"permissions.{name}.groupIds must name 1 to {AccessDocument.MaxGroupIds} groups."),
            _ => throw Invalid($"permissions.{name}.scope must be all, groups (with groupIds) or off."),
        };
    }

    private static DomainException Invalid(string message) => new(DomainErrors.Validation, message);
}
