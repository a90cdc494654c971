using System.Collections.Frozen;

namespace TeamPlatform.Permissions.Domain;

/// <summary>The named permission sets a member's access is built from. <c>admin</c> is the toggle, not a preset.</summary>
public enum Preset : byte
{
    Manager,
    Staff,
    None,
    Custom,
}

/// <summary>The values of a member's <c>role</c>: a preset's name, or <c>admin</c> while the toggle is on.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Staff = "staff";
    public const string None = "none";
    public const string Custom = "custom";

    public static IReadOnlyList<string> All { get; } = [Admin, Manager, Staff, None, Custom];

    public static string NameOf(Preset preset) => preset switch
    {
        Preset.Manager => Manager,
        Preset.Staff => Staff,
        Preset.None => None,
        _ => Custom,
    };

    public static bool TryParse(string? role, out Preset preset, out bool isAdminShorthand)
    {
        isAdminShorthand = role == Admin;
        preset = role switch
        {
            Manager => Preset.Manager,
            Staff => Preset.Staff,
            None => Preset.None,
            Custom => Preset.Custom,
            _ => Preset.Custom,
        };
        return isAdminShorthand || role is Manager or Staff or None or Custom;
    }
}

/// <summary>What each preset grants (docs/permissions.md#presets).</summary>
public static class Presets
{
    /// <summary>Everything except Settings (<c>engage_settings</c>, <c>explorer_settings</c>) and staff management.</summary>
    public static PermissionSet Manager { get; } = Catalogue.All
        .Where(p => p is not (Permission.EngageSettings or Permission.ExplorerSettings or Permission.AdminSettings))
        .Aggregate(new PermissionSet.Builder(), (builder, permission) => builder.Grant(permission))
        .Build();

    private static PermissionSet StaffForAll { get; } = new PermissionSet.Builder()
        .Scope(Permission.MessageInbox, GroupGrant.All)
        .Build();

    /// <summary>The chat section only: all contacts, or those of <paramref name="groups"/> when given.</summary>
    public static PermissionSet Staff(IReadOnlySet<Guid>? groups) => groups is null
        ? StaffForAll
        : new PermissionSet.Builder().Scope(Permission.MessageInbox, GroupGrant.ForGroups(groups)).Build();
}

/// <summary>
/// A member's access: the admin toggle plus the underlying preset or custom set. The toggle turns every
/// permission on without touching the underlying set, which comes back when the toggle is turned off.
/// </summary>
public sealed class Access : IEquatable<Access>
{
    private Access(bool isAdmin, Preset preset, FrozenSet<Guid>? staffGroups, PermissionSet custom, FrozenSet<Guid>? groupAdminOf = null)
    {
        if (isAdmin && preset == Preset.None)
        {
            // Every factory and the access document rule this out before; reaching here is a defect, not a refusal.
            throw new ArgumentException("The admin toggle cannot be on with role none.", nameof(isAdmin));
        }

        IsAdmin = isAdmin;
        Preset = preset;
        StaffGroups = preset == Preset.Staff ? staffGroups : null;
        Custom = preset == Preset.Custom ? custom : PermissionSet.Empty;
        // A member without access (pending, blocked) administers nothing.
        GroupAdminOf = preset == Preset.None ? FrozenSet<Guid>.Empty : groupAdminOf ?? FrozenSet<Guid>.Empty;
        Underlying = preset switch
        {
            Preset.Manager => Presets.Manager,
            Preset.Staff => Presets.Staff(StaffGroups),
            Preset.Custom => Custom,
            _ => PermissionSet.Empty,
        };
    }

    /// <summary>No permission at all (pending members, blocked members).</summary>
    public static Access NoAccess { get; } = new(false, Preset.None, null, PermissionSet.Empty);

    /// <summary>An empty custom set: the member logs in and manages only their own profile.</summary>
    public static Access Nothing { get; } = new(false, Preset.Custom, null, PermissionSet.Empty);

    /// <summary>The admin toggle over <see cref="Nothing"/>: how the first, automatically promoted admins start.</summary>
    public static Access AutoAdmin { get; } = Nothing.WithAdmin(true);

    public bool IsAdmin { get; }

    public Preset Preset { get; }

    /// <summary>The staff preset's groups: null means every group; never empty.</summary>
    public FrozenSet<Guid>? StaffGroups { get; }

    /// <summary>
    /// The groups the member administers (docs/permissions.md#group-admins): within them they list, approve, invite and
    /// change grants, up to what they hold there. Appointed by admins only; grants no permission by itself.
    /// </summary>
    public FrozenSet<Guid> GroupAdminOf { get; }

    /// <summary>Administers at least one group.</summary>
    public bool IsGroupAdmin => GroupAdminOf.Count > 0;

    /// <summary>The custom set; empty for the other presets.</summary>
    public PermissionSet Custom { get; }

    /// <summary>What the preset or custom set grants, whatever the toggle says.</summary>
    public PermissionSet Underlying { get; }

    /// <summary>What the member holds: everything while the toggle is on, else the underlying set.</summary>
    public PermissionSet Effective => IsAdmin ? PermissionSet.Everything : Underlying;

    /// <summary>Reads <c>admin</c> while the toggle is on.</summary>
    public string Role => IsAdmin ? Roles.Admin : Roles.NameOf(Preset);

    /// <summary>The groups the access names (staff groups, custom grants, groups administered), for lists filtered by group.</summary>
    public IEnumerable<Guid> GroupIds => (Preset == Preset.Staff ? StaffGroups ?? Enumerable.Empty<Guid>() : Custom.GroupIds).Union(GroupAdminOf);

    public static Access Manager(bool isAdmin = false) => new(isAdmin, Preset.Manager, null, PermissionSet.Empty);

    /// <summary>The staff preset over <paramref name="groups"/>; none or an empty list means every group: choosing groups is optional.</summary>
    public static Access Staff(IEnumerable<Guid>? groups, bool isAdmin = false) =>
        new(isAdmin, Preset.Staff, groups?.ToFrozenSet() is { Count: > 0 } set ? set : null, PermissionSet.Empty);

    public static Access CustomSet(PermissionSet permissions, bool isAdmin = false) =>
        new(isAdmin, Preset.Custom, null, permissions);

    /// <summary>The same underlying set with the toggle on or off.</summary>
    public Access WithAdmin(bool isAdmin) => isAdmin == IsAdmin ? this : new(isAdmin, Preset, StaffGroups, Custom, GroupAdminOf);

    /// <summary>The same access administering <paramref name="groups"/> (none: no group).</summary>
    public Access WithGroupAdminOf(IEnumerable<Guid> groups)
    {
        var set = groups.ToFrozenSet();
        return set.SetEquals(GroupAdminOf) ? this : new(IsAdmin, Preset, StaffGroups, Custom, set);
    }

    /// <summary>The same access with <paramref name="group"/> taken out of every grant; never widens.</summary>
    public Access WithoutGroup(Guid group)
    {
        if (Preset == Preset.Staff && StaffGroups is not null && StaffGroups.Contains(group))
        {
            // Staff without groups means every group; losing the last one must narrow, so nothing is left.
            var remaining = StaffGroups.Where(g => g != group).ToFrozenSet();
            var narrowed = remaining.Count == 0 ? Nothing.WithAdmin(IsAdmin) : new(IsAdmin, Preset, remaining, Custom);
            return narrowed.WithGroupAdminOf(GroupAdminOf.Where(g => g != group));
        }

        var custom = Custom.WithoutGroup(group);
        var administered = GroupAdminOf.Contains(group) ? GroupAdminOf.Where(g => g != group).ToFrozenSet() : GroupAdminOf;
        return ReferenceEquals(custom, Custom) && ReferenceEquals(administered, GroupAdminOf)
            ? this
            : new(IsAdmin, Preset, StaffGroups, custom, administered);
    }

    /// <summary>
    /// The same access holding exactly <paramref name="wanted"/> of the group-scoped permissions on <paramref name="group"/>,
    /// everything else untouched (docs/permissions.md#group-admins). Refuses narrowing a grant on every group: that would
    /// change it on every other group too. The staff preset stays one when only its inbox's groups change.
    /// </summary>
    public Refusal? OnGroup(Guid group, IReadOnlySet<Permission> wanted, out Access merged)
    {
        merged = this;
        var builder = Underlying.ToBuilder();
        var changed = false;
        foreach (var permission in Catalogue.All.Where(p => Catalogue.KindOf(p) == PermissionKind.GroupScoped))
        {
            var grant = Underlying.Scope(permission);
            var want = wanted.Contains(permission);
            if (grant.Covers([group]) == want)
            {
                continue;
            }

            if (grant.Scope == GroupScope.All)
            {
                return Refusal.Invalid(
                    $"{Catalogue.NameOf(permission)} is granted on every group: leaving one group out changes it on every other group too. Change the whole access instead.");
            }

            builder.Scope(permission, want ? GroupGrant.ForGroups(grant.Groups.Append(group)) : grant.Without(group));
            changed = true;
        }

        if (!changed)
        {
            return null;
        }

        var set = builder.Build();
        var inbox = set.Scope(Permission.MessageInbox);
        var staffShaped = Preset is Preset.Staff or Preset.None
            && inbox.Scope == GroupScope.Groups
            && set.Equals(Presets.Staff(inbox.Groups));
        merged = (staffShaped ? Staff(inbox.Groups) : CustomSet(set)).WithAdmin(IsAdmin).WithGroupAdminOf(GroupAdminOf);
        return null;
    }

    public bool Equals(Access? other) =>
        other is not null
        && IsAdmin == other.IsAdmin
        && Preset == other.Preset
        && (StaffGroups is null ? other.StaffGroups is null : other.StaffGroups is not null && StaffGroups.SetEquals(other.StaffGroups))
        && Custom.Equals(other.Custom)
        && GroupAdminOf.SetEquals(other.GroupAdminOf);

    public override bool Equals(object? obj) => Equals(obj as Access);

    public override int GetHashCode() => HashCode.Combine(IsAdmin, Preset, GroupGrant.HashOf(StaffGroups), Custom, GroupGrant.HashOf(GroupAdminOf));

    public override string ToString() => IsAdmin ? $"admin over {Roles.NameOf(Preset)}" : Roles.NameOf(Preset);
}
