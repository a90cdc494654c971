using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace TeamPlatform.Permissions.Domain;

/// <summary>
/// What <see cref="Evaluator"/> tells about each branch it takes, in the order it takes them: an explanation is the
/// evaluator's own path, never a second implementation of the rules. Implemented by structs only, so that each trace
/// gets its own compiled copy of the evaluator (<see cref="NoTrace"/>'s copy is the check's, with nothing added).
/// </summary>
public interface IEvaluationTrace
{
    /// <summary>The member's status was looked at first; anything but active ends the evaluation.</summary>
    void Status(MemberStatus status);

    /// <summary>The admin toggle, looked at for an active member; on ends the evaluation.</summary>
    void Admin(bool isAdmin);

    /// <summary>The role underneath, whose set the rest of the evaluation reads.</summary>
    void Role(Preset preset);

    /// <summary>The grant of a group-scoped permission: off, every group, or some groups.</summary>
    void Scope(Permission permission, GroupGrant grant);

    /// <summary>
    /// The grant covers some groups but the question needs every group: adding a person (<c>people</c> <c>create</c>),
    /// or a question that named no group.
    /// </summary>
    void AllGroupsNeeded(bool addingPeople);

    /// <summary>The groups the question named, against a grant over some groups.</summary>
    void GroupsAsked(GroupGrant grant, ReadOnlySpan<Guid> asked, bool covered);

    /// <summary>Importing people also needs <c>engage_settings</c>.</summary>
    void EngageSettings(bool on);

    /// <summary>A level permission: what the member holds against what the action needs.</summary>
    void Level(Permission permission, Level held, Level needed);

    /// <summary>A toggle, on or off.</summary>
    void Toggle(Permission permission, bool on);

    /// <summary>The override of the conversation asked about (null when it has none), for <c>explorer_conversations</c>.</summary>
    void Conversation(ConversationOverride? conversation, bool admitted);

    /// <summary>The answer, last.</summary>
    void Decided(Decision decision);
}

/// <summary>The check's trace: every method empty, so the JIT drops every call and the check stays as it was.</summary>
public readonly struct NoTrace : IEvaluationTrace
{
    public void Status(MemberStatus status)
    {
    }

    public void Admin(bool isAdmin)
    {
    }

    public void Role(Preset preset)
    {
    }

    public void Scope(Permission permission, GroupGrant grant)
    {
    }

    public void AllGroupsNeeded(bool addingPeople)
    {
    }

    public void GroupsAsked(GroupGrant grant, ReadOnlySpan<Guid> asked, bool covered)
    {
    }

    public void EngageSettings(bool on)
    {
    }

    public void Level(Permission permission, Level held, Level needed)
    {
    }

    public void Toggle(Permission permission, bool on)
    {
    }

    public void Conversation(ConversationOverride? conversation, bool admitted)
    {
    }

    public void Decided(Decision decision)
    {
    }
}

/// <summary>The stable codes of an explanation's steps (docs/permissions.md#explain).</summary>
public enum StepCode : byte
{
    MemberActive,
    MemberInactive,
    AdminOn,
    AdminOff,
    Role,
    ScopeOff,
    ScopeAll,
    ScopeGroups,
    AddingPeopleNeedsAllGroups,
    NoGroupAsked,
    GroupsCovered,
    GroupsNotCovered,
    EngageSettingsOn,
    EngageSettingsOff,
    Level,
    ToggleOn,
    ToggleOff,
    ConversationNoOverride,
    ConversationAdmits,
    ConversationExcludes,
    Allowed,
    Denied,
}

public static class StepCodes
{
    private static readonly string[] Names =
    [
        "member_active", "member_inactive", "admin_on", "admin_off", "role",
        "scope_off", "scope_all", "scope_groups", "adding_people_needs_all_groups", "no_group_asked",
        "groups_covered", "groups_not_covered", "engage_settings_on", "engage_settings_off", "level",
        "toggle_on", "toggle_off", "conversation_no_override", "conversation_admits", "conversation_excludes",
        "allowed", "denied",
    ];

    public static IReadOnlyList<string> All => Names;

    public static string NameOf(StepCode code) => Names[(int)code];
}

/// <summary>One step the evaluator took, with what it looked at.</summary>
public abstract record EvaluationStep(StepCode Code);

public sealed record StatusStep(MemberStatus Status)
    : EvaluationStep(Status == MemberStatus.Active ? StepCode.MemberActive : StepCode.MemberInactive);

public sealed record AdminStep(bool IsAdmin) : EvaluationStep(IsAdmin ? StepCode.AdminOn : StepCode.AdminOff);

public sealed record RoleStep(Preset Preset) : EvaluationStep(StepCode.Role);

public sealed record ScopeStep(Permission Permission, GroupGrant Grant) : EvaluationStep(Grant.Scope switch
{
    GroupScope.Off => StepCode.ScopeOff,
    GroupScope.All => StepCode.ScopeAll,
    _ => StepCode.ScopeGroups,
});

public sealed record AllGroupsNeededStep(bool AddingPeople)
    : EvaluationStep(AddingPeople ? StepCode.AddingPeopleNeedsAllGroups : StepCode.NoGroupAsked);

/// <param name="Missing">The groups asked that the grant does not cover, in the order asked.</param>
public sealed record GroupsAskedStep(IReadOnlyList<Guid> Asked, IReadOnlyList<Guid> Missing, bool Covered)
    : EvaluationStep(Covered ? StepCode.GroupsCovered : StepCode.GroupsNotCovered);

public sealed record EngageSettingsStep(bool On) : EvaluationStep(On ? StepCode.EngageSettingsOn : StepCode.EngageSettingsOff);

public sealed record LevelStep(Permission Permission, Level Held, Level Needed) : EvaluationStep(StepCode.Level);

public sealed record ToggleStep(Permission Permission, bool On) : EvaluationStep(On ? StepCode.ToggleOn : StepCode.ToggleOff);

public sealed record ConversationStep(ConversationOverride? Override, bool Admitted) : EvaluationStep(Override is null
    ? StepCode.ConversationNoOverride
    : Admitted ? StepCode.ConversationAdmits : StepCode.ConversationExcludes);

public sealed record DecisionStep(Decision Decision) : EvaluationStep(Decision.Allowed ? StepCode.Allowed : StepCode.Denied);

/// <summary>Records every step the evaluator takes, for an explanation (allocates; the check never uses it).</summary>
public struct StepRecorder : IEvaluationTrace
{
    // The steps that carry only a status, a flag, a role or the decision are immutable and few: made once, shared.
    private static readonly StatusStep[] Statuses = Enum.GetValues<MemberStatus>().Select(status => new StatusStep(status)).ToArray();
    private static readonly AdminStep[] Admins = [new(false), new(true)];
    private static readonly RoleStep[] Roles = Enum.GetValues<Preset>().Select(preset => new RoleStep(preset)).ToArray();
    private static readonly DecisionStep[] Decisions = Enum.GetValues<Reason>()
        .SelectMany(reason => new[] { new DecisionStep(Decision.Deny(reason)), new DecisionStep(Decision.Allow(reason)) })
        .ToArray();

    // No path is longer than seven steps. Kept in the recorder itself, which the evaluator fills through its reference: no
    // array to allocate, and no covariance check on each store, which an array of references would make.
    private Steps8 _steps;
    private int _count;

    /// <summary>The steps in the order taken.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<EvaluationStep> Steps => ((ReadOnlySpan<EvaluationStep>)_steps)[.._count];

    public void Status(MemberStatus status) => Add(Statuses[(int)status]);

    public void Admin(bool isAdmin) => Add(Admins[isAdmin ? 1 : 0]);

    public void Role(Preset preset) => Add(Roles[(int)preset]);

    public void Scope(Permission permission, GroupGrant grant) => Add(new ScopeStep(permission, grant));

    public void AllGroupsNeeded(bool addingPeople) => Add(new AllGroupsNeededStep(addingPeople));

    public void GroupsAsked(GroupGrant grant, ReadOnlySpan<Guid> asked, bool covered)
    {
        var askedGroups = asked.ToArray();
        Add(new GroupsAskedStep(askedGroups, covered ? [] : Missing(grant, askedGroups), covered));
    }

    /// <summary>
    /// The groups asked that the grant lacks, each once, in the order asked. Counted before they are copied, so that the
    /// usual answer (every group asked is missing) shares the array of the groups asked.
    /// </summary>
    private static Guid[] Missing(GroupGrant grant, Guid[] asked)
    {
        var count = 0;
        for (var i = 0; i < asked.Length; i++)
        {
            count += IsFirstMissing(grant, asked, i) ? 1 : 0;
        }

        if (count == asked.Length)
        {
            return asked;
        }

        var missing = new Guid[count];
        for (int i = 0, next = 0; i < asked.Length; i++)
        {
            if (IsFirstMissing(grant, asked, i))
            {
                missing[next++] = asked[i];
            }
        }

        return missing;
    }

    private static bool IsFirstMissing(GroupGrant grant, Guid[] asked, int index) =>
        !grant.Groups.Contains(asked[index]) && asked.AsSpan(0, index).IndexOf(asked[index]) < 0;

    public void EngageSettings(bool on) => Add(new EngageSettingsStep(on));

    public void Level(Permission permission, Level held, Level needed) => Add(new LevelStep(permission, held, needed));

    public void Toggle(Permission permission, bool on) => Add(new ToggleStep(permission, on));

    public void Conversation(ConversationOverride? conversation, bool admitted) => Add(new ConversationStep(conversation, admitted));

    public void Decided(Decision decision) => Add(Decisions[((int)decision.Reason * 2) + (decision.Allowed ? 1 : 0)]);

    private void Add(EvaluationStep step) => _steps[_count++] = step;

    [InlineArray(8)]
    private struct Steps8
    {
        private EvaluationStep _first;
    }
}
