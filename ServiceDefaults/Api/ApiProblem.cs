using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>RFC 9457 problem results carrying a stable <c>code</c>.</summary>
public static class ApiProblem
{
    public static ProblemHttpResult Of(string code, string detail, int? status = null) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: status ?? ErrorCodes.StatusOf(code),
            title: Title(code),
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>Another service's refusal, passed on unchanged: its status, its code, its words.</summary>
    public static ProblemHttpResult ToProblem(this InternalRefusal refusal) => Of(refusal.Code, refusal.Detail, refusal.Status);

    public static ProblemHttpResult NotFound(string what) => Of(ErrorCodes.NotFound, $"{what} was not found.");

    public static ProblemHttpResult Forbidden(string detail = "You lack the permission this needs.") => Of(ErrorCodes.Forbidden, detail);

    public static ProblemHttpResult Validation(string detail) => Of(ErrorCodes.ValidationFailed, detail);

    /// <summary>A 400 listing each invalid field, as FluentValidation reports them.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: "One or more fields are invalid.",
            title: Title(ErrorCodes.ValidationFailed),
            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed });

    /// <summary>Seconds a client is told to wait (<c>Retry-After</c>) when a service gave no answer.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// The one answer when <paramref name="service"/> gave none: <c>503 service_unavailable</c> with <c>Retry-After</c>, so the
    /// client knows to try again (docs/decisions/0008-one-internal-client.md). Never a 500, never a guess.
    /// </summary>
    public static Task WriteServiceUnavailableAsync(HttpContext http, string service) =>
        WriteUnavailableAsync(http, $"The {service} service is unavailable; try again shortly.");

    /// <summary>The same answer when the service's own database gave none.</summary>
    public static Task WriteDatabaseUnavailableAsync(HttpContext http) =>
        WriteUnavailableAsync(http, "The service's database is unavailable; try again shortly.");

    private static Task WriteUnavailableAsync(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Of(ErrorCodes.ServiceUnavailable, detail).ExecuteAsync(http);
    }

    private static string Title(string code) => code.Replace('_', ' ') switch
    {
        var words => char.ToUpperInvariant(words[0]) + words[1..],
    };
}
