namespace TeamPlatform.Identity.Domain;

/// <summary>
/// Length is the rule (docs/product.md#bad-input-and-abuse): composition rules push people to predictable patterns, while a long
/// passphrase is both memorable and strong.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    public static bool IsAcceptable(string? password) =>
        password is not null && password.Length is >= MinLength and <= MaxLength;

    public static Refusal Weak { get; } = new(
        RefusalKind.WeakPassword, $"A password has {MinLength} to {MaxLength} characters.");
}
