namespace TeamPlatform.Permissions.Domain;

/// <summary>The permissions of docs/permissions.md#catalogue, in its order: five group-scoped, three levels, five toggles.</summary>
public enum Permission : byte
{
    MessageInbox,
    PrayerRequestsInbox,
    StoriesInbox,
    Broadcasts,
    People,
    Keywords,
    Series,
    Surveys,
    EngageSettings,
    ExplorerConversations,
    ExplorerSettings,
    Measure,
    AdminSettings,
}

public enum PermissionKind : byte
{
    /// <summary>Off, for all groups, or for some groups.</summary>
    GroupScoped,

    /// <summary><c>none</c>, <c>view</c>, <c>create</c> (create and view).</summary>
    Level,

    /// <summary>On or off.</summary>
    Toggle,
}

/// <summary>What a caller asks to do with a permission. <see cref="Default"/> is "no action named".</summary>
public enum PermissionAction : byte
{
    Default,
    View,
    Edit,
    Export,
    Send,
    Create,
    Import,
}

/// <summary>The permission catalogue: names, kinds and the actions each permission has.</summary>
public static class Catalogue
{
    public const int Count = 13;
    public const int GroupScopedCount = 5;
    public const int LevelCount = 3;

    private static readonly string[] Names =
    [
        "message_inbox", "prayer_requests_inbox", "stories_inbox", "broadcasts", "people",
        "keywords", "series", "surveys",
        "engage_settings", "explorer_conversations", "explorer_settings", "measure", "admin_settings",
    ];

    private static readonly string[] ActionNames = ["", "view", "edit", "export", "send", "create", "import"];

    private static readonly Permission[] Everything = Enum.GetValues<Permission>();

    public static IReadOnlyList<Permission> All => Everything;

    public static string NameOf(Permission permission) => Names[(int)permission];

    public static string NameOf(PermissionAction action) => ActionNames[(int)action];

    public static PermissionKind KindOf(Permission permission) => permission switch
    {
        <= Permission.People => PermissionKind.GroupScoped,
        <= Permission.Surveys => PermissionKind.Level,
        _ => PermissionKind.Toggle,
    };

    public static bool TryParse(string? name, out Permission permission)
    {
        permission = name switch
        {
            "message_inbox" => Permission.MessageInbox,
            "prayer_requests_inbox" => Permission.PrayerRequestsInbox,
            "stories_inbox" => Permission.StoriesInbox,
            "broadcasts" => Permission.Broadcasts,
            "people" => Permission.People,
            "keywords" => Permission.Keywords,
            "series" => Permission.Series,
            "surveys" => Permission.Surveys,
            "engage_settings" => Permission.EngageSettings,
            "explorer_conversations" => Permission.ExplorerConversations,
            "explorer_settings" => Permission.ExplorerSettings,
            "measure" => Permission.Measure,
            "admin_settings" => Permission.AdminSettings,
            _ => (Permission)byte.MaxValue,
        };
        return permission != (Permission)byte.MaxValue;
    }

    /// <summary>Parses an action name; null or empty is <see cref="PermissionAction.Default"/>.</summary>
    public static bool TryParseAction(string? name, out PermissionAction action)
    {
        action = name switch
        {
            null or "" => PermissionAction.Default,
            "view" => PermissionAction.View,
            "edit" => PermissionAction.Edit,
            "export" => PermissionAction.Export,
            "send" => PermissionAction.Send,
            "create" => PermissionAction.Create,
            "import" => PermissionAction.Import,
            _ => (PermissionAction)byte.MaxValue,
        };
        return action != (PermissionAction)byte.MaxValue;
    }

    /// <summary>
    /// The actions <paramref name="permission"/> has. Group-scoped and level permissions default to
    /// <c>view</c>; a toggle has only the default action.
    /// </summary>
    public static IReadOnlyList<PermissionAction> ActionsOf(Permission permission) => permission switch
    {
        Permission.Broadcasts => [PermissionAction.View, PermissionAction.Edit, PermissionAction.Export, PermissionAction.Send],
        Permission.People => [PermissionAction.View, PermissionAction.Edit, PermissionAction.Export, PermissionAction.Create, PermissionAction.Import],
        _ when KindOf(permission) == PermissionKind.GroupScoped => [PermissionAction.View, PermissionAction.Edit, PermissionAction.Export],
        _ when KindOf(permission) == PermissionKind.Level => [PermissionAction.View, PermissionAction.Create, PermissionAction.Edit],
        _ => [],
    };

    /// <summary>Resolves <paramref name="action"/> for <paramref name="permission"/>; false when the permission does not have it.</summary>
    public static bool TryResolve(Permission permission, PermissionAction action, out PermissionAction resolved)
    {
        resolved = action;
        switch (KindOf(permission))
        {
            case PermissionKind.Toggle:
                return action == PermissionAction.Default;
            case PermissionKind.Level:
                if (action == PermissionAction.Default)
                {
                    resolved = PermissionAction.View;
                }

                return resolved is PermissionAction.View or PermissionAction.Create or PermissionAction.Edit;
            default:
                if (action == PermissionAction.Default)
                {
                    resolved = PermissionAction.View;
                }

                return resolved switch
                {
                    PermissionAction.View or PermissionAction.Edit or PermissionAction.Export => true,
                    PermissionAction.Send => permission == Permission.Broadcasts,
                    PermissionAction.Create or PermissionAction.Import => permission == Permission.People,
                    _ => false,
                };
        }
    }
}
