using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Features.CheckPermissions;

/// <summary>
/// The sentence a person reads for each step the evaluator took: the member by username, groups by name, permissions by
/// their catalogue names. Never a phone number.
/// </summary>
public sealed class ExplainSentences(string username, ParsedCheck check, IReadOnlyDictionary<Guid, string> groupNames)
{
    /// <summary>A grant over many groups names the first ones (by name) and counts the rest.</summary>
    public const int MaxGroupsNamed = 20;

    private string Whose => $"{username}'s";

    /// <summary>The step before the evaluator's when the member's access is time-bound: which access answers, by the clock.</summary>
    public ExplainStep TimeBound(DateTimeOffset expiresAt, bool ended) => ended
        ? new ExplainStep("access_expired", $"{Whose} temporary access ended at {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: the answer comes from the access that followed it.")
        : new ExplainStep("access_temporary", $"{Whose} access is temporary: it ends at {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.");

    public string Of(EvaluationStep step) => step switch
    {
        StatusStep { Status: MemberStatus.Active } => $"{username} is active.",
        StatusStep inactive =>
            $"{username} is {StatusWords(inactive.Status)}: a member who is not active is denied everything, even with the admin toggle on.",
        AdminStep { IsAdmin: true } => $"{username} has the admin toggle on: an admin may do everything, conversation overrides included.",
        AdminStep => $"{Whose} admin toggle is off: the answer comes from the permissions of their role.",
        RoleStep role => RoleSentence(role.Preset),
        ScopeStep { Code: StepCode.ScopeOff } scope => $"{username} holds no {Name(scope.Permission)} grant.",
        ScopeStep { Code: StepCode.ScopeAll } scope => $"{Whose} {Name(scope.Permission)} grant covers every group.",
        ScopeStep scope => $"{Whose} {Name(scope.Permission)} grant covers {Groups(scope.Grant.Groups.OrderBy(GroupName, StringComparer.OrdinalIgnoreCase).ToList())}.",
        AllGroupsNeededStep { AddingPeople: true } =>
            "Adding a person (people create) needs the grant over every group: the new person is in no group yet.",
        AllGroupsNeededStep => "The check named no group, so it asked about every group; the grant covers only some.",
        GroupsAskedStep { Covered: true } asked => $"The check asked about {Groups(asked.Asked)}; the grant covers {(asked.Asked.Count == 1 ? "it" : "all of them")}.",
        GroupsAskedStep asked => $"The check asked about {Groups(asked.Asked)}; the grant does not cover {Groups(asked.Missing)}.",
        EngageSettingsStep { On: true } => $"Importing people also needs engage_settings, and {username} holds it.",
        EngageSettingsStep => $"Importing people (CSV uploads, integrations) also needs engage_settings, which {username} does not hold.",
        LevelStep { Held: Level.None } level => $"{Whose} {Name(level.Permission)} level is none: nothing of {Name(level.Permission)} is granted.",
        LevelStep level =>
            $"{Whose} {Name(level.Permission)} level is {LevelName(level.Held)}; the action {Catalogue.NameOf(check.Action)} needs {LevelName(level.Needed)}.",
        ToggleStep { On: true } toggle => $"{username} has {Name(toggle.Permission)} on.",
        ToggleStep toggle => $"{username} has {Name(toggle.Permission)} off.",
        ConversationStep { Override: null } => check.ConversationId is null
            ? "The check named no conversation, so no visibility override applies."
            : $"The conversation {check.ConversationId} has no visibility override.",
        ConversationStep { Override: { } visibility } conversation => visibility.Mode == VisibilityMode.Allow
            ? $"The conversation {check.ConversationId} is visible only to the members it lists, and {username} is {(conversation.Admitted ? "" : "not ")}one of them."
            : $"The conversation {check.ConversationId} is hidden from the members it lists, and {username} is {(conversation.Admitted ? "not " : "")}one of them.",
        DecisionStep { Decision: var decision } => $"{(decision.Allowed ? "Allowed" : "Denied")}: {Reasons.NameOf(decision.Reason)}.",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "A step without a sentence."),
    };

    private string RoleSentence(Preset preset) => preset switch
    {
        Preset.Manager => $"{Whose} role is manager: every permission but engage_settings, explorer_settings and admin_settings, over every group, levels at create.",
        Preset.Staff => $"{Whose} role is staff: message_inbox only.",
        Preset.Custom => $"{Whose} role is custom: exactly the permissions set for them.",
        _ => $"{Whose} role is none: no permission at all.",
    };

    private static string Name(Permission permission) => Catalogue.NameOf(permission);

    private string GroupName(Guid group) => groupNames.TryGetValue(group, out var name) ? name : $"an unknown group ({group})";

    private string Groups(IReadOnlyList<Guid> groups)
    {
        var named = groups.Take(MaxGroupsNamed).Select(GroupName).ToList();
        var rest = groups.Count - named.Count;
        var list = string.Join(", ", named) + (rest > 0 ? $" and {rest} more" : "");
        return groups.Count == 1 ? $"the group {list}" : $"the groups {list}";
    }

    private static string StatusWords(MemberStatus status) => status switch
    {
        MemberStatus.PendingApproval => "pending approval",
        MemberStatus.Blocked => "blocked",
        _ => "removed",
    };

    private static string LevelName(Level level) => level switch
    {
        Level.View => "view",
        Level.Create => "create",
        _ => "none",
    };
}
