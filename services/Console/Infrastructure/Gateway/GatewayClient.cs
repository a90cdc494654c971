using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Console.Infrastructure.Gateway;

/// <summary>
/// The public API through the gateway, and nothing else: the console never calls a service or a database of another.
/// Every call carries the browser's address and user agent, with the proxy key that makes the gateway believe them.
/// </summary>
public sealed class GatewayClient(HttpClient http, IOptions<TrustedProxyOptions> proxies, ILogger<GatewayClient> logger)
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public Task<ApiResult<T>> GetAsync<T>(string path, BrowserClient browser, string? accessToken, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, content: null, browser, accessToken, cancellationToken);

    public Task<ApiResult<T>> SendJsonAsync<T>(HttpMethod method, string path, object? body, BrowserClient browser, string? accessToken, CancellationToken cancellationToken) =>
        SendAsync<T>(method, path, body is null ? null : JsonContent.Create(body, options: Json), browser, accessToken, cancellationToken);

    /// <summary>Any body, with request headers of its own (an upload's <c>Idempotency-Key</c>).</summary>
    public Task<ApiResult<T>> SendContentAsync<T>(
        HttpMethod method, string path, HttpContent content, IReadOnlyDictionary<string, string> headers, BrowserClient browser, string? accessToken,
        CancellationToken cancellationToken) =>
        SendAsync<T>(method, path, content, browser, accessToken, cancellationToken, headers);

    public Task<ApiResult<T>> PostFormAsync<T>(string path, IEnumerable<KeyValuePair<string, string>> form, BrowserClient browser, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, new FormUrlEncodedContent(form), browser, accessToken: null, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(
        HttpMethod method, string path, HttpContent? content, BrowserClient browser, string? accessToken, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        browser.AddTo(request, proxies.Value.Key);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return await ApiErrors.ReadAsync(response, cancellationToken);
            }

            if (typeof(T) == typeof(Done))
            {
                return new ApiResult<T>(default, null);
            }

            var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
            return value is null ? ApiErrors.Unreadable((int)response.StatusCode) : new ApiResult<T>(value, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException
                                          && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The gateway did not answer {Method} {Route}", method, RouteOf(path));
            return ApiErrors.Unreachable;
        }
    }

    // Paths may carry ids and tokens (an invitation's): logs get the first segments only.
    private static string RouteOf(string path) => string.Join('/', path.Split('?')[0].Split('/').Take(3));

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        return options;
    }
}

internal static class ApiErrors
{
    public static readonly ApiError Unreachable = ApiError.Of(
        (int)HttpStatusCode.ServiceUnavailable, ApiError.Unreachable, "TeamPlatform cannot be reached just now. Try again in a moment.");

    public static ApiError Unreadable(int status) => ApiError.Of(status, "unreadable", "TeamPlatform gave an answer the console could not read.");

    /// <summary>RFC 9457 problems (with <c>code</c> and per-field <c>errors</c>) and OAuth2 errors, in words.</summary>
    public static async Task<ApiError> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        JsonElement body = default;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (JsonException)
        {
        }

        var oauthError = Text(body, "error_description") ?? Text(body, "error");
        var code = Text(body, "code") ?? oauthError ?? CodeOf(response.StatusCode);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray().Select(m => m.GetString()) : [];
                fields[char.ToLowerInvariant(field.Name[0]) + field.Name[1..]] = string.Join(" ", messages);
            }
        }

        var message = ProblemMessages.For(code) ?? Text(body, "detail") ?? Text(body, "title") ?? ProblemMessages.Fallback;
        return new ApiError(status, code, message, fields);
    }

    private static string? Text(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string CodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => ApiError.Unauthenticated,
        HttpStatusCode.Forbidden => "forbidden",
        HttpStatusCode.NotFound => "not_found",
        HttpStatusCode.TooManyRequests => "rate_limited",
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => ApiError.Unreachable,
        _ => "error",
    };
}
