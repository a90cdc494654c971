namespace TeamPlatform.Identity.Domain;

/// <summary>A rule the domain refused, named by one of the public error codes (docs/product.md#errors).</summary>
public sealed record DomainError(string Code, string Detail);

/// <summary>The outcome of a domain operation: done, or refused with a <see cref="DomainError"/>.</summary>
public readonly record struct DomainResult(DomainError? Error)
{
    public static DomainResult Ok => default;

    public bool Succeeded => Error is null;

    public static DomainResult Fail(string code, string detail) => new(new DomainError(code, detail));

    public static implicit operator DomainResult(DomainError error) => new(error);
}
