using System.Net.Http.Headers;
using System.Text.Json;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// A JSON request body sent with its <c>Content-Length</c>, as a calling service would send it.
/// <c>JsonContent</c> streams chunked, which costs the gateway far more per request (docs/benchmarks.md).
/// </summary>
public static class JsonBody
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static ByteArrayContent Of(object value) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web)) { Headers = { ContentType = Json } };
}
