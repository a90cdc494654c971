namespace TeamPlatform.Permissions.Domain;

/// <summary>Which kind of rule refused; the service's one map (<c>Features/Problems.cs</c>) gives each its code and status.</summary>
public enum RefusalKind
{
    /// <summary>The request asks for something the rules cannot mean (a bad access document, a name too long).</summary>
    Invalid,

    /// <summary>The actor lacks the authority the change needs.</summary>
    Forbidden,

    /// <summary>More than the actor holds, the admin toggle, or an admin's access, asked by a non-admin.</summary>
    Escalation,

    /// <summary>No active admin would remain.</summary>
    LastAdmin,

    /// <summary>The member is removed: nothing can be given to them any more.</summary>
    Removed,
}

/// <summary>
/// A rule's refusal: nothing was applied. Aggregate methods and policies return it (null when the change may
/// happen); each rule's words are stated once, beside the rule.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Detail)
{
    public static Refusal Invalid(string detail) => new(RefusalKind.Invalid, detail);
}
