namespace TeamPlatform.Permissions.Domain;

/// <summary>The stable codes of the rules the domain enforces (docs/product.md#errors), so the API can answer them unchanged.</summary>
public static class DomainErrors
{
    public const string Validation = "validation_failed";
    public const string Forbidden = "forbidden";
    public const string Escalation = "escalation";
    public const string LastAdmin = "last_admin";
    public const string AlreadyMember = "already_member";
    public const string Conflict = "conflict";
    public const string NotFound = "not_found";
}

/// <summary>A rule of the domain refused a change; nothing was applied.</summary>
public sealed class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
