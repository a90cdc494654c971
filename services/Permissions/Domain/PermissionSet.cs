using System.Collections.Frozen;

namespace TeamPlatform.Permissions.Domain;

public enum GroupScope : byte
{
    Off,
    All,
    Groups,
}

/// <summary><c>none</c> &lt; <c>view</c> &lt; <c>create</c> (create and view).</summary>
public enum Level : byte
{
    None,
    View,
    Create,
}

/// <summary>A group-scoped grant: off, every group, or some groups (never an empty set: that is off).</summary>
public sealed class GroupGrant : IEquatable<GroupGrant>
{
    public static readonly GroupGrant Off = new(GroupScope.Off, FrozenSet<Guid>.Empty);
    public static readonly GroupGrant All = new(GroupScope.All, FrozenSet<Guid>.Empty);

    private GroupGrant(GroupScope scope, FrozenSet<Guid> groups)
    {
        Scope = scope;
        Groups = groups;
    }

    public GroupScope Scope { get; }

    /// <summary>The granted groups when <see cref="Scope"/> is <see cref="GroupScope.Groups"/>; empty otherwise.</summary>
    public FrozenSet<Guid> Groups { get; }

    public bool IsOff => Scope == GroupScope.Off;

    public static GroupGrant ForGroups(IEnumerable<Guid> groups)
    {
        var set = groups.ToFrozenSet();
        return set.Count == 0 ? Off : new GroupGrant(GroupScope.Groups, set);
    }

    /// <summary>True when every requested group is granted; no group requested means "all of them".</summary>
    public bool Covers(ReadOnlySpan<Guid> requested)
    {
        if (Scope == GroupScope.All)
        {
            return true;
        }

        if (Scope == GroupScope.Off || requested.IsEmpty)
        {
            return false;
        }

        foreach (var group in requested)
        {
            if (!Groups.Contains(group))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether this grant gives no more than <paramref name="holder"/> does.</summary>
    public bool IsWithin(GroupGrant holder) => Scope switch
    {
        GroupScope.Off => true,
        GroupScope.All => holder.Scope == GroupScope.All,
        _ => holder.Scope == GroupScope.All || (holder.Scope == GroupScope.Groups && Groups.IsSubsetOf(holder.Groups)),
    };

    public GroupGrant Without(Guid group) =>
        Scope == GroupScope.Groups && Groups.Contains(group) ? ForGroups(Groups.Where(g => g != group)) : this;

    public bool Equals(GroupGrant? other) =>
        other is not null && Scope == other.Scope && (Scope != GroupScope.Groups || Groups.SetEquals(other.Groups));

    public override bool Equals(object? obj) => Equals(obj as GroupGrant);

    public override int GetHashCode() => HashCode.Combine(Scope, HashOf(Groups));

    /// <summary>Order-independent, like set equality.</summary>
    internal static int HashOf(IEnumerable<Guid>? groups) => groups?.Aggregate(0, (hash, group) => hash ^ group.GetHashCode()) ?? 0;

    public override string ToString() => Scope == GroupScope.Groups ? $"groups({Groups.Count})" : Scope.ToString().ToLowerInvariant();
}

/// <summary>
/// A set of permissions of the catalogue: what a preset or a custom access document grants. Immutable;
/// the admin toggle is not part of it (an admin holds <see cref="Everything"/> whatever their set is).
/// </summary>
public sealed class PermissionSet : IEquatable<PermissionSet>
{
    private readonly GroupGrant[] _groups;
    private readonly Level[] _levels;
    private readonly ushort _toggles;

    private PermissionSet(GroupGrant[] groups, Level[] levels, ushort toggles)
    {
        _groups = groups;
        _levels = levels;
        _toggles = toggles;
    }

    public static PermissionSet Empty { get; } = new Builder().Build();

    /// <summary>Every permission at its widest: what the admin toggle gives.</summary>
    public static PermissionSet Everything { get; } = Catalogue.All
        .Aggregate(new Builder(), (builder, permission) => builder.Grant(permission))
        .Build();

    public GroupGrant Scope(Permission permission) =>
        Catalogue.KindOf(permission) == PermissionKind.GroupScoped ? _groups[(int)permission] : GroupGrant.Off;

    public Level LevelOf(Permission permission) =>
        Catalogue.KindOf(permission) == PermissionKind.Level ? _levels[(int)permission - Catalogue.GroupScopedCount] : Level.None;

    public bool IsOn(Permission permission) =>
        Catalogue.KindOf(permission) == PermissionKind.Toggle && (_toggles & (1 << (int)permission)) != 0;

    /// <summary>Whether the permission is granted at all (any scope, any level above none, on).</summary>
    public bool Grants(Permission permission) => Catalogue.KindOf(permission) switch
    {
        PermissionKind.GroupScoped => !Scope(permission).IsOff,
        PermissionKind.Level => LevelOf(permission) != Level.None,
        _ => IsOn(permission),
    };

    public bool IsEmpty => Catalogue.All.All(p => !Grants(p));

    /// <summary>Every group any grant names.</summary>
    public IEnumerable<Guid> GroupIds => _groups.SelectMany(g => g.Groups).Distinct();

    /// <summary>True when this set gives nothing that <paramref name="holder"/> lacks (the no-escalation rule).</summary>
    public bool IsWithin(PermissionSet holder)
    {
        foreach (var permission in Catalogue.All)
        {
            var within = Catalogue.KindOf(permission) switch
            {
                PermissionKind.GroupScoped => Scope(permission).IsWithin(holder.Scope(permission)),
                PermissionKind.Level => LevelOf(permission) <= holder.LevelOf(permission),
                _ => !IsOn(permission) || holder.IsOn(permission),
            };
            if (!within)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same set with <paramref name="group"/> taken out of every group-scoped grant.</summary>
    public PermissionSet WithoutGroup(Guid group)
    {
        var groups = _groups.Select(g => g.Without(group)).ToArray();
        return groups.SequenceEqual(_groups, ReferenceEqualityComparer.Instance) ? this : new PermissionSet(groups, _levels, _toggles);
    }

    public Builder ToBuilder()
    {
        var builder = new Builder();
        foreach (var permission in Catalogue.All)
        {
            switch (Catalogue.KindOf(permission))
            {
                case PermissionKind.GroupScoped:
                    builder.Scope(permission, Scope(permission));
                    break;
                case PermissionKind.Level:
                    builder.Level(permission, LevelOf(permission));
                    break;
                default:
                    builder.Toggle(permission, IsOn(permission));
                    break;
            }
        }

        return builder;
    }

    public bool Equals(PermissionSet? other) =>
        other is not null && _toggles == other._toggles && _levels.SequenceEqual(other._levels) && _groups.SequenceEqual(other._groups);

    public override bool Equals(object? obj) => Equals(obj as PermissionSet);

    public override int GetHashCode() => HashCode.Combine(_toggles, _levels[0], _levels[1], _levels[2], _groups[0], _groups[1], _groups[3], _groups[4]);

    public override string ToString() => string.Join(", ", Catalogue.All.Where(Grants).Select(p => Catalogue.KindOf(p) switch
    {
        PermissionKind.GroupScoped => $"{Catalogue.NameOf(p)}={Scope(p)}",
        PermissionKind.Level => $"{Catalogue.NameOf(p)}={LevelOf(p).ToString().ToLowerInvariant()}",
        _ => Catalogue.NameOf(p),
    }));

    public sealed class Builder
    {
        private readonly GroupGrant[] _groups = Enumerable.Repeat(GroupGrant.Off, Catalogue.GroupScopedCount).ToArray();
        private readonly Level[] _levels = new Level[Catalogue.LevelCount];
        private ushort _toggles;

        public Builder Scope(Permission permission, GroupGrant grant)
        {
            Require(permission, PermissionKind.GroupScoped);
            _groups[(int)permission] = grant;
            return this;
        }

        public Builder Level(Permission permission, Level level)
        {
            Require(permission, PermissionKind.Level);
            _levels[(int)permission - Catalogue.GroupScopedCount] = level;
            return this;
        }

        public Builder Toggle(Permission permission, bool on)
        {
            Require(permission, PermissionKind.Toggle);
            _toggles = on ? (ushort)(_toggles | (1 << (int)permission)) : (ushort)(_toggles & ~(1 << (int)permission));
            return this;
        }

        /// <summary>Grants <paramref name="permission"/> at its widest: all groups, create, on.</summary>
        public Builder Grant(Permission permission) => Catalogue.KindOf(permission) switch
        {
            PermissionKind.GroupScoped => Scope(permission, GroupGrant.All),
            PermissionKind.Level => Level(permission, Domain.Level.Create),
            _ => Toggle(permission, true),
        };

        public PermissionSet Build() => new(_groups.ToArray(), _levels.ToArray(), _toggles);

        private static void Require(Permission permission, PermissionKind kind)
        {
            if (Catalogue.KindOf(permission) != kind)
            {
                throw new ArgumentException($"{Catalogue.NameOf(permission)} is not a {kind} permission.", nameof(permission));
            }
        }
    }
}
