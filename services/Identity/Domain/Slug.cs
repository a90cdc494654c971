using System.Text.RegularExpressions;

namespace TeamPlatform.Identity.Domain;

/// <summary>An organisation's entry point (docs/product.md#organisation): lowercase, 3–40 of <c>a-z0-9-</c>.</summary>
public static partial class Slug
{
    public const int MinLength = 3;
    public const int MaxLength = 40;

    public static bool IsValid(string? slug) => slug is not null && Pattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9-]{3,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
