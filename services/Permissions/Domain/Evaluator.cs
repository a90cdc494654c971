using System.Collections.Frozen;

namespace TeamPlatform.Permissions.Domain;

/// <summary>The stable codes a check answers with (docs/permissions.md#reasons), so a caller can branch on why.</summary>
public enum Reason : byte
{
    Admin,
    Granted,
    NotGranted,
    GroupNotGranted,
    NeedsAllGroups,
    NeedsEngageSettings,
    LevelTooLow,
    ConversationDenied,
    Inactive,
}

public static class Reasons
{
    private static readonly string[] Names =
    [
        "admin", "granted", "not_granted", "group_not_granted", "needs_all_groups",
        "needs_engage_settings", "level_too_low", "conversation_denied", "inactive",
    ];

    public static string NameOf(Reason reason) => Names[(int)reason];
}

public readonly record struct Decision(bool Allowed, Reason Reason)
{
    public static Decision Allow(Reason reason) => new(true, reason);

    public static Decision Deny(Reason reason) => new(false, reason);
}

/// <summary>Who may see one conversation: an allow-list admits only its members, a deny-list excludes its members.</summary>
public sealed class ConversationOverride(VisibilityMode mode, FrozenSet<Guid> members)
{
    public VisibilityMode Mode { get; } = mode;

    public FrozenSet<Guid> Members { get; } = members;

    public bool Admits(Guid memberId) => Mode == VisibilityMode.Allow ? Members.Contains(memberId) : !Members.Contains(memberId);
}

/// <summary>What the evaluator needs of a member, kept in memory per organisation for the check API.</summary>
public sealed class MemberGrant(Guid memberId, MemberStatus status, bool isAdmin, PermissionSet permissions, long revision)
{
    public Guid MemberId { get; } = memberId;

    public MemberStatus Status { get; } = status;

    public bool IsAdmin { get; } = isAdmin;

    /// <summary>The underlying set; the admin toggle is decided before it is looked at.</summary>
    public PermissionSet Permissions { get; } = permissions;

    /// <summary>The organisation's revision at the member's last change.</summary>
    public long Revision { get; } = revision;
}

/// <summary>
/// One question: may the member do <see cref="Action"/> with <see cref="Permission"/> here? The action is
/// resolved with <see cref="Catalogue.TryResolve"/> first: never the default for a scoped or level permission.
/// </summary>
public readonly ref struct CheckQuery(Permission permission, PermissionAction action, ReadOnlySpan<Guid> groupIds, ConversationOverride? conversation = null)
{
    public Permission Permission { get; } = permission;

    public PermissionAction Action { get; } = action;

    public ReadOnlySpan<Guid> GroupIds { get; } = groupIds;

    /// <summary>The override of the conversation asked about, when it has one (only for <c>explorer_conversations</c>).</summary>
    public ConversationOverride? Conversation { get; } = conversation;
}

/// <summary>
/// docs/permissions.md#check-semantics, pure: no I/O, no allocation. Order matters and is part of the contract:
/// inactive before admin, the permission itself before anything that narrows it.
/// </summary>
public static class Evaluator
{
    public static Decision Evaluate(MemberGrant member, in CheckQuery query)
    {
        if (member.Status != MemberStatus.Active)
        {
            return Decision.Deny(Reason.Inactive);
        }

        if (member.IsAdmin)
        {
            return Decision.Allow(Reason.Admin);
        }

        var permissions = member.Permissions;
        return Catalogue.KindOf(query.Permission) switch
        {
            PermissionKind.GroupScoped => GroupScoped(permissions, query),
            PermissionKind.Level => Leveled(permissions.LevelOf(query.Permission), query.Action),
            _ => Toggle(member.MemberId, permissions, query),
        };
    }

    private static Decision GroupScoped(PermissionSet permissions, in CheckQuery query)
    {
        var grant = permissions.Scope(query.Permission);
        if (grant.IsOff)
        {
            return Decision.Deny(Reason.NotGranted);
        }

        if (query.Action == PermissionAction.Create)
        {
            // Adding a person individually needs every group: the new person is in none of them yet.
            return grant.Scope == GroupScope.All ? Decision.Allow(Reason.Granted) : Decision.Deny(Reason.NeedsAllGroups);
        }

        if (grant.Scope == GroupScope.Groups)
        {
            if (query.GroupIds.IsEmpty)
            {
                return Decision.Deny(Reason.NeedsAllGroups);
            }

            if (!grant.Covers(query.GroupIds))
            {
                return Decision.Deny(Reason.GroupNotGranted);
            }
        }

        if (query.Action == PermissionAction.Import && !permissions.IsOn(Permission.EngageSettings))
        {
            return Decision.Deny(Reason.NeedsEngageSettings); // CSV upload and integrations are set up under the Engage settings
        }

        return Decision.Allow(Reason.Granted);
    }

    private static Decision Leveled(Level level, PermissionAction action) => level switch
    {
        Level.None => Decision.Deny(Reason.NotGranted),
        Level.Create => Decision.Allow(Reason.Granted),
        _ => action == PermissionAction.View ? Decision.Allow(Reason.Granted) : Decision.Deny(Reason.LevelTooLow),
    };

    private static Decision Toggle(Guid memberId, PermissionSet permissions, in CheckQuery query)
    {
        if (!permissions.IsOn(query.Permission))
        {
            return Decision.Deny(Reason.NotGranted);
        }

        // Overrides only narrow: the permission was needed first.
        if (query.Conversation is { } conversation && query.Permission == Permission.ExplorerConversations && !conversation.Admits(memberId))
        {
            return Decision.Deny(Reason.ConversationDenied);
        }

        return Decision.Allow(Reason.Granted);
    }
}
