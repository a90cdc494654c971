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
public sealed class MemberGrant(Guid memberId, MemberStatus status, bool isAdmin, Preset preset, PermissionSet permissions, long revision)
{
    public Guid MemberId { get; } = memberId;

    public MemberStatus Status { get; } = status;

    public bool IsAdmin { get; } = isAdmin;

    /// <summary>The role underneath the admin toggle; the set it gives is <see cref="Permissions"/>. Only an explanation reads it.</summary>
    public Preset Preset { get; } = preset;

    /// <summary>The underlying set; the admin toggle is decided before it is looked at.</summary>
    public PermissionSet Permissions { get; } = permissions;

    /// <summary>The organisation's revision at the member's last change.</summary>
    public long Revision { get; } = revision;

    /// <summary>When this grant ends (time-bound access); null when it lasts.</summary>
    public DateTimeOffset? ExpiresAt { get; private init; }

    /// <summary>What the member holds from <see cref="ExpiresAt"/> on.</summary>
    public MemberGrant? Lapsed { get; private init; }

    public static MemberGrant Of(Guid memberId, MemberStatus status, Access access, long revision, AccessLapse? lapse = null) =>
        new(memberId, status, access.IsAdmin, access.Preset, access.Underlying, revision)
        {
            ExpiresAt = lapse?.At,
            Lapsed = lapse is null ? null : Of(memberId, lapse.Then.Status, lapse.Then.Access, revision),
        };

    /// <summary>
    /// The grant in force at <paramref name="now"/>: past the end of time-bound access, what follows it, whether or not the
    /// lapse has been recorded yet — so that every replica answers by the clock.
    /// </summary>
    public MemberGrant At(DateTimeOffset now) => Lapsed is not null && ExpiresAt <= now ? Lapsed : this;
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
/// inactive before admin, the permission itself before anything that narrows it. Every branch tells the trace what it
/// looked at (docs/permissions.md#explain): the check passes <see cref="NoTrace"/>, whose empty methods the JIT removes
/// from its own copy of this code, and an explanation passes a <see cref="StepRecorder"/>.
/// </summary>
public static class Evaluator
{
    public static Decision Evaluate(MemberGrant member, in CheckQuery query)
    {
        var trace = default(NoTrace);
        return Evaluate(member, query, ref trace);
    }

    public static Decision Evaluate<TTrace>(MemberGrant member, in CheckQuery query, ref TTrace trace)
        where TTrace : struct, IEvaluationTrace
    {
        var decision = Decide(member, query, ref trace);
        trace.Decided(decision);
        return decision;
    }

    private static Decision Decide<TTrace>(MemberGrant member, in CheckQuery query, ref TTrace trace)
        where TTrace : struct, IEvaluationTrace
    {
        trace.Status(member.Status);
        if (member.Status != MemberStatus.Active)
        {
            return Decision.Deny(Reason.Inactive);
        }

        trace.Admin(member.IsAdmin);
        if (member.IsAdmin)
        {
            return Decision.Allow(Reason.Admin);
        }

        trace.Role(member.Preset);
        var permissions = member.Permissions;
        return Catalogue.KindOf(query.Permission) switch
        {
            PermissionKind.GroupScoped => GroupScoped(permissions, query, ref trace),
            PermissionKind.Level => Leveled(query.Permission, permissions.LevelOf(query.Permission), query.Action, ref trace),
            _ => Toggle(member.MemberId, permissions, query, ref trace),
        };
    }

    private static Decision GroupScoped<TTrace>(PermissionSet permissions, in CheckQuery query, ref TTrace trace)
        where TTrace : struct, IEvaluationTrace
    {
        var grant = permissions.Scope(query.Permission);
        trace.Scope(query.Permission, grant);
        if (grant.IsOff)
        {
            return Decision.Deny(Reason.NotGranted);
        }

        if (query.Action == PermissionAction.Create)
        {
            // Adding a person individually needs every group: the new person is in none of them yet.
            if (grant.Scope == GroupScope.All)
            {
                return Decision.Allow(Reason.Granted);
            }

            trace.AllGroupsNeeded(addingPeople: true);
            return Decision.Deny(Reason.NeedsAllGroups);
        }

        if (grant.Scope == GroupScope.Groups)
        {
            if (query.GroupIds.IsEmpty)
            {
                trace.AllGroupsNeeded(addingPeople: false);
                return Decision.Deny(Reason.NeedsAllGroups);
            }

            var covered = grant.Covers(query.GroupIds);
            trace.GroupsAsked(grant, query.GroupIds, covered);
            if (!covered)
            {
                return Decision.Deny(Reason.GroupNotGranted);
            }
        }

        if (query.Action == PermissionAction.Import)
        {
            var engage = permissions.IsOn(Permission.EngageSettings);
            trace.EngageSettings(engage);
            if (!engage)
            {
                return Decision.Deny(Reason.NeedsEngageSettings); // CSV upload and integrations are set up under the Engage settings
            }
        }

        return Decision.Allow(Reason.Granted);
    }

    private static Decision Leveled<TTrace>(Permission permission, Level level, PermissionAction action, ref TTrace trace)
        where TTrace : struct, IEvaluationTrace
    {
        // view allows view; create and edit need create.
        var needed = action == PermissionAction.View ? Level.View : Level.Create;
        trace.Level(permission, level, needed);
        if (level == Level.None)
        {
            return Decision.Deny(Reason.NotGranted);
        }

        return level >= needed ? Decision.Allow(Reason.Granted) : Decision.Deny(Reason.LevelTooLow);
    }

    private static Decision Toggle<TTrace>(Guid memberId, PermissionSet permissions, in CheckQuery query, ref TTrace trace)
        where TTrace : struct, IEvaluationTrace
    {
        var on = permissions.IsOn(query.Permission);
        trace.Toggle(query.Permission, on);
        if (!on)
        {
            return Decision.Deny(Reason.NotGranted);
        }

        if (query.Permission != Permission.ExplorerConversations)
        {
            return Decision.Allow(Reason.Granted);
        }

        // Overrides only narrow: the permission was needed first.
        var admitted = query.Conversation?.Admits(memberId) ?? true;
        trace.Conversation(query.Conversation, admitted);
        return admitted ? Decision.Allow(Reason.Granted) : Decision.Deny(Reason.ConversationDenied);
    }
}
