namespace TeamPlatform.Console.Infrastructure.Api;

public enum PermissionKind
{
    GroupScoped,
    Level,
    Toggle,
}

/// <summary>A permission of the catalogue as the console shows it.</summary>
public sealed record PermissionInfo(string Name, PermissionKind Kind, string Label, string Help);

/// <summary>The permission catalogue (docs/permissions.md), with the words the console puts beside each permission.</summary>
public static class Catalogue
{
    public const string AdminSettings = "admin_settings";
    public const string ExplorerConversations = "explorer_conversations";

    public static readonly IReadOnlyList<PermissionInfo> All =
    [
        new("message_inbox", PermissionKind.GroupScoped, "Message inbox", "Chats with the contacts of these groups."),
        new("prayer_requests_inbox", PermissionKind.GroupScoped, "Prayer requests inbox", "Prayer requests from these groups."),
        new("stories_inbox", PermissionKind.GroupScoped, "Stories inbox", "Stories shared by these groups."),
        new("broadcasts", PermissionKind.GroupScoped, "Broadcasts", "Send to these groups and see what was sent to them."),
        new("people", PermissionKind.GroupScoped, "People", "View, edit and export these groups' people. Adding people one by one needs all groups."),
        new("keywords", PermissionKind.Level, "Keywords", "Keyword replies."),
        new("series", PermissionKind.Level, "Series", "Message series."),
        new("surveys", PermissionKind.Level, "Surveys", "Surveys and their answers."),
        new("engage_settings", PermissionKind.Toggle, "Engage settings", "Engage's settings, CSV uploads and integrations."),
        new(ExplorerConversations, PermissionKind.Toggle, "Explorer conversations", "Conversations in Explorer, within each conversation's own visibility."),
        new("explorer_settings", PermissionKind.Toggle, "Explorer settings", "Explorer's settings."),
        new("measure", PermissionKind.Toggle, "Measure", "Reports and statistics."),
        new(AdminSettings, PermissionKind.Toggle, "Admin settings", "Account information, team members, invitations and billing."),
    ];

    public static IEnumerable<PermissionInfo> OfKind(PermissionKind kind) => All.Where(p => p.Kind == kind);

    /// <summary>A preview's item in words: "Message inbox: Youth", "Keywords: View → Create &amp; view", "Admin".</summary>
    public static string ItemLabel(AccessItem item) => item.Change switch
    {
        "status" => $"Status: {StatusLabel(item.From ?? "")} → {StatusLabel(item.To ?? "")}",
        "admin" => "Admin (every permission, conversation overrides included)",
        "group_admin" => $"Group admin of {item.GroupName ?? "a group"}",
        _ => (All.FirstOrDefault(p => p.Name == item.Permission)?.Label ?? item.Permission) + (item switch
        {
            { Scope: "all" } => ": every group",
            { Scope: "groups" } => $": {item.GroupName ?? "a group"}",
            { From: { } from, To: { } to } => $": {LevelLabel(from)} → {LevelLabel(to)}",
            _ => "",
        }),
    };

    private static string LevelLabel(string level) => Levels.FirstOrDefault(l => l.Value == level).Label ?? level;

    public static readonly IReadOnlyList<(string Value, string Label)> Levels = [("none", "None"), ("view", "View"), ("create", "Create & view")];

    /// <summary>The presets an admin picks from; the admin toggle is the one way to make an admin.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Presets =
        [("manager", "Manager"), ("staff", "Staff"), ("none", "None (blocked)"), ("custom", "Custom")];

    /// <summary>What each role may do, in the words people use on screen rather than the API's permission names.</summary>
    public static string? RoleHelp(string role) => role switch
    {
        "admin" => "Every permission, team management and settings included.",
        "manager" => "Every inbox, broadcast and person of every group, all content, reports and Explorer's conversations; not settings or team management.",
        "staff" => "The chat inbox only: the chats of every group, or only of the groups picked.",
        "none" => "No access: the member is blocked and cannot sign in.",
        "custom" => "Exactly the permissions picked below. With none at all, the member signs in and manages only their own profile.",
        _ => null,
    };

    /// <summary>What becomes of a row of an upload, before (<paramref name="sent"/> false) and after sending.</summary>
    public static string OutcomeLabel(string outcome, bool sent = false) => outcome switch
    {
        "invite" => sent ? "Invited" : "Will be invited",
        "already_member" => "Already a member",
        "already_invited" => "Already invited",
        "invalid_phone" => "Not a phone number",
        "chatbot_number" => "The chatbot's own number",
        "escalation" => "Access you cannot give",
        "duplicate_row" => "Repeats an earlier row",
        "unknown_preset" => "Unknown role",
        "unknown_group" => "Unknown group",
        "invalid_access" => "Access an invitation cannot have",
        "forbidden" => "You may no longer invite",
        _ => outcome.Replace('_', ' '),
    };

    public static string RoleLabel(string role) => role switch
    {
        "admin" => "Admin",
        "manager" => "Manager",
        "staff" => "Staff",
        "none" => "None",
        "custom" => "Custom",
        _ => role,
    };

    public static string StatusLabel(string status) => status switch
    {
        MemberStatus.PendingApproval => "Waiting for approval",
        MemberStatus.Active => "Active",
        MemberStatus.Blocked => "Blocked",
        MemberStatus.Removed => "Removed",
        _ => status,
    };
}
