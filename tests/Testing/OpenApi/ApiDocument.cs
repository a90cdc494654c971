using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Xunit;

namespace TeamPlatform.Testing.OpenApi;

/// <summary>A service's OpenAPI document as a client reads it (Microsoft.OpenApi), and what it says of an answer.</summary>
public sealed class ApiDocument(OpenApiDocument document)
{
    public OpenApiDocument Document { get; } = document;

    /// <summary>The document of a service hosted in the test process.</summary>
    public static async Task<ApiDocument> ReadAsync<TEntryPoint>(WebApplicationFactory<TEntryPoint> host) where TEntryPoint : class
    {
        using var client = host.CreateClient();
        return await ReadAsync(client);
    }

    public static async Task<ApiDocument> ReadAsync(HttpClient client, string path = "/openapi/v1.json")
    {
        await using var stream = await client.GetStreamAsync(path);
        var result = await OpenApiDocument.LoadAsync(stream, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.Empty(result.Diagnostic?.Errors.Select(e => e.ToString()) ?? []);
        return new ApiDocument(result.Document ?? throw new InvalidOperationException($"{path} is not an OpenAPI document."));
    }

    /// <summary>Every operation: its path, its method and the operation.</summary>
    public IEnumerable<(string Path, HttpMethod Method, OpenApiOperation Operation)> Operations =>
        from path in Document.Paths
        from operation in path.Value.Operations ?? []
        select (path.Key, operation.Key, operation.Value);

    public OpenApiOperation Operation(HttpMethod method, string path) =>
        Document.Paths.TryGetValue(path, out var item) && item.Operations?.TryGetValue(method, out var operation) == true
            ? operation
            : throw new InvalidOperationException($"The document has no {method} {path}.");

    /// <summary>
    /// What is wrong with <paramref name="response"/> as an answer of <paramref name="method"/> <paramref name="path"/>,
    /// by the document: a status it does not list, a media type it does not name, or a body its schema refuses.
    /// </summary>
    public async Task<IReadOnlyList<string>> ConformanceErrorsAsync(HttpMethod method, string path, HttpResponseMessage response)
    {
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var operation = Operation(method, path);
        if (operation.Responses?.TryGetValue(status, out var described) != true || described is null)
        {
            return [$"{method} {path} answered {status}, which its document does not list."];
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var body = await response.Content.ReadAsStringAsync();
        if (described.Content is not { Count: > 0 } content)
        {
            return body.Length == 0 || response.StatusCode == HttpStatusCode.NoContent ? [] : [$"{status} has a body the document does not describe."];
        }

        if (mediaType is null || !content.TryGetValue(mediaType, out var media))
        {
            return [$"{status} came as {mediaType ?? "nothing"}, the document names {string.Join(", ", content.Keys)}."];
        }

        // A schema describes JSON; a text answer (CSV exports) is checked by its media type alone.
        var isJson = mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);
        return media.Schema is null || !isJson ? [] : SchemaCheck.Errors(media.Schema, JsonDocument.Parse(body).RootElement);
    }
}
