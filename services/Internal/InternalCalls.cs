using System.Net.Http.Json;
using System.Text.Json;

namespace TeamPlatform.Internal;

/// <summary>
/// The called service refused with a problem that means something (a 4xx with a <c>code</c>): the caller decides,
/// and usually passes it on to its own client unchanged (docs/internal-api.md).
/// </summary>
public sealed record InternalRefusal(int Status, string Code, string Detail)
{
    public bool IsNotFound => Status == 404;
}

/// <summary>The answer of an internal call: a value, or a refusal.</summary>
public sealed record InternalAnswer<T>(T? Value, InternalRefusal? Refusal) where T : class
{
    public static InternalAnswer<T> Of(T value) => new(value, null);

    public static InternalAnswer<T> Refused(InternalRefusal refusal) => new(null, refusal);
}

/// <summary>
/// A service this one depends on gave no answer: unreachable, timed out, circuit open, 5xx, or a body that is not
/// what its API promises. The request cannot complete now; ServiceDefaults answers it <c>503 service_unavailable</c>
/// with <c>Retry-After</c> (docs/decisions/0008-one-internal-client.md).
/// </summary>
public sealed class DependencyUnavailableException(string service, string detail, Exception? inner = null)
    : Exception($"The {service} service is unavailable: {detail}", inner)
{
    public string Service { get; } = service;
}

/// <summary>How every internal client reads an answer: one failure contract for all of them.</summary>
internal static class InternalCall
{
    /// <summary>Reads a 2xx answer, turns a 4xx problem into a refusal, and anything else into unavailability.</summary>
    public static async Task<InternalAnswer<T>> ReadAsync<T>(
        string service, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
        where T : class
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        // Polly's rejections (timeout, open circuit) are named by their namespace: this project takes no Polly reference.
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
                                          && (exception is HttpRequestException or OperationCanceledException
                                              || exception.GetType().Namespace?.StartsWith("Polly", StringComparison.Ordinal) == true))
        {
            throw new DependencyUnavailableException(service, exception.Message, exception);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return InternalAnswer<T>.Of(await ValueAsync<T>(service, response, cancellationToken));
            }

            // 401 (a wrong internal key), 408 and 429 say nothing about the request itself: the call did not happen.
            if (status is >= 400 and < 500 and not 401 and not 408 and not 429)
            {
                var (code, detail) = await ProblemOf(response, cancellationToken);
                return InternalAnswer<T>.Refused(new InternalRefusal(
                    status, code ?? ErrorCodes.ForStatus(status), detail ?? $"The {service} service refused the request."));
            }

            throw new DependencyUnavailableException(service, $"HTTP {status}");
        }
    }

    /// <summary>The value, or unavailability for a refusal the caller has no answer for.</summary>
    public static T ValueOrThrow<T>(this InternalAnswer<T> answer, string service, string what) where T : class =>
        answer.Value ?? throw new DependencyUnavailableException(service, $"{what} refused ({answer.Refusal!.Code})");

    private static async Task<T> ValueAsync<T>(string service, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new DependencyUnavailableException(service, "empty answer");
        }
        catch (JsonException exception)
        {
            throw new DependencyUnavailableException(service, "unreadable answer", exception);
        }
    }

    private static async Task<(string? Code, string? Detail)> ProblemOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return problem.ValueKind == JsonValueKind.Object
                ? (StringOf(problem, "code"), StringOf(problem, "detail"))
                : (null, null);
        }
        catch (JsonException)
        {
            // A refusal without a readable body still has its status.
            return (null, null);
        }
    }

    private static string? StringOf(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
