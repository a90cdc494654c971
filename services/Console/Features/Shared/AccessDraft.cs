using System.Text.Json;
using TeamPlatform.Console.Infrastructure.Api;

namespace TeamPlatform.Console.Features.Shared;

public enum GroupScope
{
    Off,
    All,
    Groups,
}

/// <summary>A group-scoped grant: off, every group, or the groups named.</summary>
public sealed record GroupChoice(GroupScope Scope, IReadOnlyList<Guid> Groups)
{
    public static readonly GroupChoice Off = new(GroupScope.Off, []);
    public static readonly GroupChoice AllGroups = new(GroupScope.All, []);

    public static GroupChoice Of(IEnumerable<Guid> groups) => new(GroupScope.Groups, groups.Distinct().Order().ToList());

    public GroupChoice With(Guid group, bool included) =>
        Of(included ? Groups.Append(group) : Groups.Where(g => g != group));

    public bool Covers(Guid group) => Scope == GroupScope.All || (Scope == GroupScope.Groups && Groups.Contains(group));

    /// <summary>A grant as the API writes it: <c>{"scope": "all"}</c>, <c>{"scope": "groups", "groupIds": [...]}</c>, else off.</summary>
    public static GroupChoice Read(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } grant || !grant.TryGetProperty("scope", out var scope))
        {
            return Off;
        }

        return scope.GetString() switch
        {
            "all" => AllGroups,
            "groups" when grant.TryGetProperty("groupIds", out var ids) => Of(ids.EnumerateArray().Select(id => id.GetGuid())),
            _ => Off,
        };
    }
}

/// <summary>
/// The access editor's state, as the rules of the access document want it: a preset (Manager, Staff, None) or a custom
/// set, and the admin toggle, which turns every permission on and locks it while keeping the set underneath, to give it
/// back when the toggle goes off. Editing one permission of a preset makes a custom set that starts from the preset.
/// </summary>
public sealed class AccessDraft
{
    private readonly IReadOnlyDictionary<string, Role> _roles;
    private readonly Dictionary<string, GroupChoice> _scopes = [];
    private readonly Dictionary<string, string> _levels = [];
    private readonly HashSet<string> _toggles = [];

    private AccessDraft(IReadOnlyDictionary<string, Role> roles, string preset, bool isAdmin)
    {
        _roles = roles;
        Preset = preset;
        IsAdmin = isAdmin;
    }

    /// <summary><c>manager</c>, <c>staff</c>, <c>none</c> or <c>custom</c>: the set under the admin toggle.</summary>
    public string Preset { get; private set; }

    public bool IsAdmin { get; private set; }

    /// <summary>The staff preset's groups: every group, or only these.</summary>
    public GroupChoice StaffGroups { get; private set; } = GroupChoice.AllGroups;

    /// <summary>Nothing below the toggle can be changed while it is on: an admin holds everything.</summary>
    public bool Locked => IsAdmin;

    /// <summary>A new member's draft: <paramref name="preset"/> with every group.</summary>
    public static AccessDraft New(IEnumerable<Role> roles, string preset = "staff") => new(roles.ToDictionary(r => r.Name), preset, isAdmin: false);

    /// <summary>The editor's start: the member's stored access (the set under the toggle when they are an admin).</summary>
    public static AccessDraft From(AccessDocument access, bool isAdmin, IEnumerable<Role> roles)
    {
        var preset = access.Role == "admin" ? "custom" : access.Role;
        var draft = new AccessDraft(roles.ToDictionary(r => r.Name), preset, isAdmin || access.IsAdmin == true || access.Role == "admin");
        if (access.GroupIds is { Count: > 0 } groups)
        {
            draft.StaffGroups = GroupChoice.Of(groups);
        }

        if (preset == "custom")
        {
            draft.Load(access.Permissions ?? new Dictionary<string, JsonElement>());
        }

        return draft;
    }

    public void SetAdmin(bool on)
    {
        IsAdmin = on;
        if (on && Preset == "none")
        {
            // An admin cannot be blocked at the same time; under the toggle they keep an empty custom set.
            Preset = "custom";
        }
    }

    public void ChoosePreset(string preset)
    {
        if (Locked || preset is not ("manager" or "staff" or "none" or "custom") || preset == Preset)
        {
            return;
        }

        if (preset == "custom")
        {
            SeedCustomFrom(Preset);
        }

        Preset = preset;
    }

    public void SetStaffGroups(GroupChoice groups)
    {
        if (!Locked && Preset == "staff")
        {
            StaffGroups = groups.Scope == GroupScope.Off ? GroupChoice.AllGroups : groups;
        }
    }

    public void SetScope(string permission, GroupChoice choice) => Edit(() => _scopes[permission] = choice);

    public void SetLevel(string permission, string level) => Edit(() => _levels[permission] = level);

    public void SetToggle(string permission, bool on) => Edit(() =>
    {
        if (on)
        {
            _toggles.Add(permission);
        }
        else
        {
            _toggles.Remove(permission);
        }
    });

    /// <summary>What the editor shows for a group-scoped permission: every group while admin, else what the set grants.</summary>
    public GroupChoice ScopeOf(string permission) => IsAdmin
        ? GroupChoice.AllGroups
        : Preset switch
        {
            "custom" => _scopes.GetValueOrDefault(permission, GroupChoice.Off),
            "staff" when permission == "message_inbox" => StaffGroups,
            _ => GroupChoice.Read(PresetValue(permission)),
        };

    public string LevelOf(string permission) => IsAdmin
        ? "create"
        : Preset == "custom" ? _levels.GetValueOrDefault(permission, "none") : PresetValue(permission) is { ValueKind: JsonValueKind.String } level ? level.GetString()! : "none";

    public bool IsOn(string permission) => IsAdmin
        || (Preset == "custom" ? _toggles.Contains(permission) : PresetValue(permission) is { ValueKind: JsonValueKind.True });

    /// <summary>Why the draft cannot be saved yet, in words: "specific groups" with none picked would mean every group or none.</summary>
    public string? Incomplete =>
        IsAdmin ? null
        : Preset == "staff" && StaffGroups is { Scope: GroupScope.Groups, Groups.Count: 0 } ? "Pick at least one group for Staff, or choose All groups."
        : Preset == "custom" && _scopes.FirstOrDefault(s => s.Value is { Scope: GroupScope.Groups, Groups.Count: 0 }).Key is { } name
            ? $"Pick at least one group for {Catalogue.All.First(p => p.Name == name).Label}, or choose All groups or Off."
            : null;

    /// <summary>The access document to send.</summary>
    public AccessDocument ToDocument() => Preset switch
    {
        "staff" => new AccessDocument("staff", IsAdmin, StaffGroups.Scope == GroupScope.Groups ? StaffGroups.Groups : null),
        "custom" => new AccessDocument("custom", IsAdmin, Permissions: CustomPermissions()),
        _ => new AccessDocument(Preset, IsAdmin),
    };

    private void Edit(Action change)
    {
        if (Locked)
        {
            return;
        }

        if (Preset != "custom")
        {
            SeedCustomFrom(Preset);
            Preset = "custom";
        }

        change();
    }

    private void SeedCustomFrom(string preset)
    {
        _scopes.Clear();
        _levels.Clear();
        _toggles.Clear();
        foreach (var permission in Catalogue.All)
        {
            switch (permission.Kind)
            {
                case PermissionKind.GroupScoped:
                    _scopes[permission.Name] = preset == "staff" && permission.Name == "message_inbox" ? StaffGroups : GroupChoice.Read(RoleValue(preset, permission.Name));
                    break;
                case PermissionKind.Level:
                    _levels[permission.Name] = RoleValue(preset, permission.Name) is { ValueKind: JsonValueKind.String } level ? level.GetString()! : "none";
                    break;
                default:
                    if (RoleValue(preset, permission.Name) is { ValueKind: JsonValueKind.True })
                    {
                        _toggles.Add(permission.Name);
                    }

                    break;
            }
        }
    }

    private void Load(IReadOnlyDictionary<string, JsonElement> permissions)
    {
        foreach (var (name, value) in permissions)
        {
            switch (Catalogue.All.FirstOrDefault(p => p.Name == name)?.Kind)
            {
                case PermissionKind.GroupScoped:
                    _scopes[name] = GroupChoice.Read(value);
                    break;
                case PermissionKind.Level when value.ValueKind == JsonValueKind.String:
                    _levels[name] = value.GetString()!;
                    break;
                case PermissionKind.Toggle when value.ValueKind == JsonValueKind.True:
                    _toggles.Add(name);
                    break;
            }
        }
    }

    private Dictionary<string, JsonElement> CustomPermissions()
    {
        var permissions = new Dictionary<string, JsonElement>();
        foreach (var (name, choice) in _scopes)
        {
            if (choice.Scope == GroupScope.All)
            {
                permissions[name] = JsonSerializer.SerializeToElement(new { scope = "all" });
            }
            else if (choice.Scope == GroupScope.Groups && choice.Groups.Count > 0)
            {
                permissions[name] = JsonSerializer.SerializeToElement(new { scope = "groups", groupIds = choice.Groups });
            }
        }

        foreach (var (name, level) in _levels.Where(l => l.Value != "none"))
        {
            permissions[name] = JsonSerializer.SerializeToElement(level);
        }

        foreach (var name in _toggles)
        {
            permissions[name] = JsonSerializer.SerializeToElement(true);
        }

        return permissions;
    }

    private JsonElement? PresetValue(string permission) => RoleValue(Preset, permission);

    private JsonElement? RoleValue(string role, string permission) =>
        _roles.TryGetValue(role, out var preset) && preset.Permissions.TryGetValue(permission, out var value) ? value : null;
}
