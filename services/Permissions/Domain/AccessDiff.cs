namespace TeamPlatform.Permissions.Domain;

public enum AccessItemKind : byte
{
    /// <summary>The member's status: active, or no longer active.</summary>
    Status,

    /// <summary>The admin toggle itself (what it gives besides the catalogue: conversation overrides do not apply).</summary>
    Admin,

    /// <summary>One permission of the catalogue: a toggle, a level, every group, or one group.</summary>
    Permission,

    /// <summary>Administering one group (<see cref="AccessItem.GroupId"/>): docs/permissions.md#group-admins.</summary>
    GroupAdmin,
}

/// <summary>
/// One thing a member gains or loses. A group-scoped permission is either <see cref="GroupScope.All"/> (every group) or
/// <see cref="GroupScope.Groups"/> with one <see cref="GroupId"/>; a level says <see cref="FromLevel"/> → <see cref="ToLevel"/>.
/// </summary>
public sealed record AccessItem(
    AccessItemKind Kind,
    Permission? Permission = null,
    GroupScope? Scope = null,
    Guid? GroupId = null,
    Level? FromLevel = null,
    Level? ToLevel = null,
    MemberStatus? FromStatus = null,
    MemberStatus? ToStatus = null);

/// <summary>
/// What a member may newly do and may no longer do after an access change (docs/permissions.md#preview), compared on what
/// they hold (<see cref="Member.EffectivePermissions"/>): a member who is not active holds nothing, and the admin toggle
/// holds everything, so turning it on gains each permission the underlying set lacked.
/// </summary>
public sealed record AccessDiff(IReadOnlyList<AccessItem> Gains, IReadOnlyList<AccessItem> Losses)
{
    public static AccessDiff None { get; } = new([], []);

    public static AccessDiff Between(MemberState before, MemberState after)
    {
        var gains = new List<AccessItem>();
        var losses = new List<AccessItem>();
        if (before.Status != after.Status)
        {
            // Becoming active is the gain of logging in and using what the access gives; leaving it (or a pending
            // request turned down) is a loss.
            var item = new AccessItem(AccessItemKind.Status, FromStatus: before.Status, ToStatus: after.Status);
            (after.Status == MemberStatus.Active ? gains : losses).Add(item);
        }

        if (before.IsAdmin != after.IsAdmin)
        {
            (after.IsAdmin ? gains : losses).Add(new AccessItem(AccessItemKind.Admin));
        }

        // A member who is not active administers nothing, whatever their access says.
        var administered = before.Status == MemberStatus.Active ? before.Access.GroupAdminOf : [];
        var administers = after.Status == MemberStatus.Active ? after.Access.GroupAdminOf : [];
        gains.AddRange(administers.Except(administered).Select(g => new AccessItem(AccessItemKind.GroupAdmin, GroupId: g)));
        losses.AddRange(administered.Except(administers).Select(g => new AccessItem(AccessItemKind.GroupAdmin, GroupId: g)));

        var held = Holds(before);
        var holds = Holds(after);
        foreach (var permission in Catalogue.All)
        {
            switch (Catalogue.KindOf(permission))
            {
                case PermissionKind.GroupScoped:
                    CompareScopes(permission, held.Scope(permission), holds.Scope(permission), gains, losses);
                    break;
                case PermissionKind.Level:
                    var (from, to) = (held.LevelOf(permission), holds.LevelOf(permission));
                    if (from != to)
                    {
                        (to > from ? gains : losses).Add(new AccessItem(AccessItemKind.Permission, permission, FromLevel: from, ToLevel: to));
                    }

                    break;
                default:
                    if (held.IsOn(permission) != holds.IsOn(permission))
                    {
                        (holds.IsOn(permission) ? gains : losses).Add(new AccessItem(AccessItemKind.Permission, permission));
                    }

                    break;
            }
        }

        return new AccessDiff(gains, losses);
    }

    private static PermissionSet Holds(MemberState state) =>
        state.Status == MemberStatus.Active ? state.Access.Effective : PermissionSet.Empty;

    /// <summary>
    /// Every group is one item; so is each group of a grant over some groups. Widening some groups to every group is the
    /// one gain of every group, and narrowing every group to some is the one loss of it: the groups kept are no change.
    /// </summary>
    private static void CompareScopes(Permission permission, GroupGrant from, GroupGrant to, List<AccessItem> gains, List<AccessItem> losses)
    {
        if (from.Equals(to))
        {
            return;
        }

        var everyGroup = new AccessItem(AccessItemKind.Permission, permission, GroupScope.All);
        if (to.Scope == GroupScope.All)
        {
            gains.Add(everyGroup);
            return;
        }

        if (from.Scope == GroupScope.All)
        {
            losses.Add(everyGroup);
            return;
        }

        gains.AddRange(to.Groups.Where(g => !from.Groups.Contains(g)).Select(g => Group(permission, g)));
        losses.AddRange(from.Groups.Where(g => !to.Groups.Contains(g)).Select(g => Group(permission, g)));
    }

    private static AccessItem Group(Permission permission, Guid group) => new(AccessItemKind.Permission, permission, GroupScope.Groups, group);
}
