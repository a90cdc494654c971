using System.Net;
using System.Text.Json;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>Another service refused a call with a problem: passed on to our client unchanged (docs/internal-api.md).</summary>
public sealed record InternalRefusal(int Status, string Code, string Detail)
{
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToProblem() => ApiProblem.Of(Code, Detail, Status);
}

/// <summary>The answer of an internal call: a value, or a refusal with a public error code.</summary>
public sealed record InternalAnswer<T>(T? Value, InternalRefusal? Refusal) where T : class
{
    public static InternalAnswer<T> Of(T value) => new(value, null);

    public static InternalAnswer<T> Refused(InternalRefusal refusal) => new(null, refusal);
}

/// <summary>A service this one depends on did not answer (or answered 5xx): the request cannot complete now.</summary>
public sealed class DependencyUnavailableException(string service, string detail, Exception? inner = null)
    : Exception($"The {service} service is unavailable: {detail}", inner)
{
    public string Service { get; } = service;
}

internal static class InternalCalls
{
    /// <summary>Reads a 2xx answer, turns a 4xx problem into a refusal, and anything else into unavailability.</summary>
    public static async Task<InternalAnswer<T>> ReadAsync<T>(string service, Func<Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
        where T : class
    {
        HttpResponseMessage response;
        try
        {
            response = await call();
        }
        // Polly's rejections (timeout, open circuit) exist in two assemblies here; their namespace names them.
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException
                                          || exception.GetType().Namespace?.StartsWith("Polly", StringComparison.Ordinal) == true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new DependencyUnavailableException(service, exception.Message, exception);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                    ?? throw new DependencyUnavailableException(service, "empty answer");
                return InternalAnswer<T>.Of(value);
            }

            var status = (int)response.StatusCode;
            if (status is >= 400 and < 500 and not 401 and not 408 and not 429)
            {
                var (code, detail) = await ProblemOf(response, cancellationToken);
                return InternalAnswer<T>.Refused(new InternalRefusal(status, code ?? ErrorCodes.ForStatus(status), detail ?? $"{service} refused the request."));
            }

            throw new DependencyUnavailableException(service, $"HTTP {status}");
        }
    }

    private static async Task<(string? Code, string? Detail)> ProblemOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return problem.ValueKind == JsonValueKind.Object
                ? (problem.TryGetProperty("code", out var code) ? code.GetString() : null,
                   problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null)
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    public static bool IsNotFound(this InternalRefusal refusal) => refusal.Status == (int)HttpStatusCode.NotFound;
}
