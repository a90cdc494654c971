using System.Diagnostics.CodeAnalysis;

namespace TeamPlatform.Console.Infrastructure.Gateway;

/// <summary>
/// A refusal of the API, in words a person reads: the API's own detail where it has one, the field each message
/// concerns where it says so. <see cref="Code"/> is the API's stable code.
/// </summary>
public sealed record ApiError(int Status, string Code, string Message, IReadOnlyDictionary<string, string> FieldMessages)
{
    public const string Unreachable = "service_unavailable";
    public const string Unauthenticated = "unauthenticated";

    /// <summary>The member's session is over: signed out, blocked, removed, or refused by identity.</summary>
    public static readonly ApiError SessionEnded = Of(401, Unauthenticated, ProblemMessages.For(Unauthenticated)!);

    /// <summary>The message about <paramref name="field"/> (camelCase, as in the API's bodies), if the refusal names it.</summary>
    public string? For(string field) =>
        FieldMessages.GetValueOrDefault(field) ?? (ProblemMessages.FieldOf(Code) == field ? Message : null);

    public static ApiError Of(int status, string code, string message) => new(status, code, message, new Dictionary<string, string>());
}

/// <summary>The API's answer: a value, or the refusal.</summary>
public readonly record struct ApiResult<T>(T? Value, ApiError? Error)
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static implicit operator ApiResult<T>(ApiError error) => new(default, error);
}

/// <summary>An answer with no body (<c>202</c>, <c>204</c>).</summary>
public readonly record struct Done;
