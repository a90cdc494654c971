using System.Text.Json;
using System.Text.Json.Serialization;
using TeamPlatform.Internal;

namespace TeamPlatform.Permissions.Domain;

/// <summary>
/// The access document (docs/permissions.md#access): <c>{"role", "isAdmin"?, "groupIds"?, "permissions"?}</c>. As input
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

    /// <summary>
    /// The groups the member administers (docs/permissions.md#group-admins). Absent as input keeps what the member
    /// administers; <c>[]</c> ends it. Written only when the member administers a group.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Guid>? GroupAdminOf { get; init; }

    /// <summary>When the access given ends (docs/permissions.md#time-bound-access); absent for access that lasts.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>What the member holds from <see cref="ExpiresAt"/> on; absent for the last access that lasted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AccessDocument? Then { get; init; }

    /// <summary>The document that gives back exactly <paramref name="access"/>: the underlying preset plus the toggle.</summary>
    public static AccessDocument From(Access access) => new()
    {
        Role = Roles.NameOf(access.Preset),
        IsAdmin = access.IsAdmin,
        GroupIds = access.StaffGroups?.Order().ToList(),
        Permissions = access.Preset == Preset.Custom ? PermissionsJson.Write(access.Custom, everyName: false) : null,
        GroupAdminOf = access.IsGroupAdmin ? access.GroupAdminOf.Order().ToList() : null,
    };

    /// <summary>The member's access as the API shows it: with <c>expiresAt</c> and <c>then</c> while it is time-bound.</summary>
    public static AccessDocument Of(Access access, AccessLapse? lapse) => lapse is null
        ? From(access)
        : From(access) with { ExpiresAt = lapse.At, Then = From(lapse.Then.Access) };

    /// <summary>
    /// The document as another service sent it (internal records carry it unread); null when absent. Refuses
    /// (<see cref="RefusalKind.Invalid"/>) what is not an access document, as the API's own binding does.
    /// </summary>
    public static Refusal? Read(JsonElement? json, out AccessDocument? document)
    {
        document = null;
        if (json is not { ValueKind: not JsonValueKind.Null } element)
        {
            return null;
        }

        try
        {
            document = element.Deserialize<AccessDocument>(Json);
            return null;
        }
        catch (JsonException exception)
        {
            return Refusal.Invalid($"access is not an access document: {JsonReadFailure.Describe(exception, typeof(AccessDocument), Json)}");
        }
    }

    /// <summary>The document as internal records carry it.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, Json);

    /// <summary>Every group the document names, for checking that they exist.</summary>
    public IEnumerable<Guid> ReferencedGroups()
    {
        var groups = (GroupIds ?? []).Concat(GroupAdminOf ?? []);
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
    /// (<see cref="RefusalKind.Invalid"/>) what the access document's rules forbid: <c>none</c> with the toggle,
    /// <c>permissions</c> without <c>custom</c>, top-level <c>groupIds</c> without <c>staff</c>.
    /// </summary>
    public Refusal? Resolve(Access current, out Access access)
    {
        access = Access.NoAccess;
        if (!Domain.Roles.TryParse(Role, out var preset, out var adminShorthand))
        {
            return Refusal.Invalid($"role must be one of {string.Join(", ", Domain.Roles.All)}.");
        }

        if (Permissions is not null && (adminShorthand || preset != Preset.Custom))
        {
            return Refusal.Invalid("permissions is accepted only with role custom.");
        }

        if (GroupIds is not null && (adminShorthand || preset != Preset.Staff))
        {
            return Refusal.Invalid("groupIds is accepted only with role staff.");
        }

        if (GroupIds is { Count: > MaxGroupIds })
        {
            return Refusal.Invalid($"groupIds may name at most {MaxGroupIds} groups.");
        }

        if (GroupAdminOf is { Count: > MaxGroupIds })
        {
            return Refusal.Invalid($"groupAdminOf may name at most {MaxGroupIds} groups.");
        }

        if (GroupAdminOf is { Count: > 0 } && !adminShorthand && preset == Preset.None)
        {
            return Refusal.Invalid("role none administers no group: groupAdminOf must be empty.");
        }

        // Absent keeps what the member administers, so that a change of role does not end it by omission.
        var administered = GroupAdminOf ?? (IEnumerable<Guid>)current.GroupAdminOf;

        if (adminShorthand)
        {
            if (IsAdmin == false)
            {
                return Refusal.Invalid("role admin means isAdmin: true.");
            }

            // A member without access (pending, blocked) has no underlying set to keep: they get an empty one.
            access = (current.Preset == Preset.None ? Access.Nothing : current).WithAdmin(true).WithGroupAdminOf(administered);
            return null;
        }

        if (preset == Preset.None && IsAdmin == true)
        {
            return Refusal.Invalid("role none cannot have the admin toggle on.");
        }

        var isAdmin = IsAdmin ?? false;
        switch (preset)
        {
            // An empty list is "no group chosen", which the staff preset reads as every group (groups are optional).
            case Preset.Staff:
                access = Access.Staff(GroupIds, isAdmin);
                break;
            case Preset.Custom:
                if (PermissionsJson.Read(Permissions, out var permissions) is { } refusal)
                {
                    return refusal;
                }

                access = Access.CustomSet(permissions, isAdmin);
                break;
            case Preset.Manager:
                access = Access.Manager(isAdmin);
                break;
        }

        access = access.WithGroupAdminOf(administered);
        return null;
    }
}

/// <summary>The <c>permissions</c> map of the access document: catalogue names to scopes, levels and toggles.</summary>
public static class PermissionsJson
{
    private static readonly JsonElement ScopeAll = JsonSerializer.SerializeToElement(new { scope = "all" });
    private static readonly JsonElement ScopeOff = JsonSerializer.SerializeToElement(new { scope = "off" });
    private static readonly JsonElement[] Levels = new[] { "none", "view", "create" }.Select(l => JsonSerializer.SerializeToElement(l)).ToArray();
    private static readonly JsonElement On = JsonSerializer.SerializeToElement(true);
    private static readonly JsonElement Off = JsonSerializer.SerializeToElement(false);

    /// <summary>Reads a permissions map; an absent key is off. Refuses naming the first bad entry.</summary>
    public static Refusal? Read(IReadOnlyDictionary<string, JsonElement>? permissions, out PermissionSet set)
    {
        set = PermissionSet.Empty;
        var builder = new PermissionSet.Builder();
        foreach (var (name, value) in permissions ?? new Dictionary<string, JsonElement>())
        {
            if (!Catalogue.TryParse(name, out var permission))
            {
                return Refusal.Invalid($"permissions.{name} is not a permission of the catalogue.");
            }

            switch (Catalogue.KindOf(permission))
            {
                case PermissionKind.GroupScoped:
                    if (ReadScope(name, value, out var grant) is { } refusal)
                    {
                        return refusal;
                    }

                    builder.Scope(permission, grant);
                    break;
                case PermissionKind.Level:
                    Level? level = value.ValueKind != JsonValueKind.String ? null : value.GetString() switch
                    {
                        "none" => Level.None,
                        "view" => Level.View,
                        "create" => Level.Create,
                        _ => null,
                    };
                    if (level is null)
                    {
                        return Refusal.Invalid($"permissions.{name} must be none, view or create.");
                    }

                    builder.Level(permission, level.Value);
                    break;
                default:
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        return Refusal.Invalid($"permissions.{name} must be true or false.");
                    }

                    builder.Toggle(permission, value.ValueKind == JsonValueKind.True);
                    break;
            }
        }

        set = builder.Build();
        return null;
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

    private static Refusal? ReadScope(string name, JsonElement value, out GroupGrant grant)
    {
        grant = GroupGrant.Off;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Refusal.Invalid($"permissions.{name} must be {{\"scope\": \"all\"}}, {{\"scope\": \"groups\", \"groupIds\": [...]}} or {{\"scope\": \"off\"}}.");
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
                        if (id.ValueKind != JsonValueKind.String || !id.TryGetGuid(out var guid))
                        {
                            return Refusal.Invalid($"permissions.{name}.groupIds must hold group ids.");
                        }

                        groups.Add(guid);
                    }

                    break;
                default:
                    return Refusal.Invalid($"permissions.{name}.{property.Name} is not expected here.");
            }
        }

        switch (scope)
        {
            case "all" when groups is null:
                grant = GroupGrant.All;
                return null;
            case "off" when groups is null:
                return null;
            case "groups" when groups is { Count: > 0 and <= AccessDocument.MaxGroupIds }:
                grant = GroupGrant.ForGroups(groups);
                return null;
            case "groups":
                return Refusal.Invalid($"permissions.{name}.groupIds must name 1 to {AccessDocument.MaxGroupIds} groups.");
            default:
                return Refusal.Invalid($"permissions.{name}.scope must be all, groups (with groupIds) or off.");
        }
    }
}
