using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamPlatform.Testing;

namespace TeamPlatform.System.Tests;

/// <summary>
/// An OTLP/HTTP receiver in the test process, standing where the Aspire dashboard's collector stands under
/// <c>./run.sh</c>: every process of the system exports its logs, traces and metrics here, so that a test reads what an
/// operator's collector would get, after the service defaults' redaction. Protobuf carries strings as their UTF-8
/// bytes, so a body read as text holds every name, message, attribute and path as written; nothing is decoded.
/// Each body is scanned as it arrives for the shapes of secrets (<see cref="SecretPatterns"/>), so the whole run's
/// telemetry is covered without being kept; bodies are kept only from <see cref="Keep"/> on, for looking up what a test
/// knows only at its end.
/// </summary>
public sealed class OtlpCapture : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _kept = new();
    private readonly ConcurrentQueue<string> _hits = new();
    private readonly ConcurrentDictionary<string, int> _bodies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _services = new(StringComparer.Ordinal);
    private volatile bool _keeping;
    private LoopbackWebApp? _web;

    /// <summary>The address to give <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>http/protobuf</c>).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The secrets' shapes found in any body since the receiver started, with its signal.</summary>
    public IReadOnlyCollection<string> Hits => _hits;

    /// <summary>Bodies received per signal (<c>traces</c>, <c>logs</c>, <c>metrics</c>) since the receiver started.</summary>
    public IReadOnlyDictionary<string, int> Bodies => _bodies;

    /// <summary>The <c>service.name</c> of every resource that exported anything.</summary>
    public IReadOnlyCollection<string> Services => [.. _services.Keys];

    /// <summary>The bodies received since <see cref="Keep"/>, as text.</summary>
    public IReadOnlyCollection<string> Kept => _kept;

    public void Keep() => _keeping = true;

    public static async Task<OtlpCapture> StartAsync()
    {
        var capture = new OtlpCapture();
        capture._web = await LoopbackWebApp.StartAsync(app => app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            var body = request.Body;
            if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = new GZipStream(body, CompressionMode.Decompress);
            }

            using var bytes = new MemoryStream();
            await body.CopyToAsync(bytes);
            capture.Receive(signal, Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length));
            // An empty Export…ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        }));
        capture.Endpoint = capture._web.Address;
        return capture;
    }

    private void Receive(string signal, string text)
    {
        _bodies.AddOrUpdate(signal, 1, (_, count) => count + 1);
        foreach (var service in ServiceNamesIn(text))
        {
            _services.TryAdd(service, true);
        }

        foreach (var hit in SecretPatterns.In(text))
        {
            _hits.Enqueue($"{signal}: {hit}");
        }

        if (_keeping && signal != "metrics")
        {
            _kept.Enqueue(text);
        }
    }

    /// <summary>
    /// The values of the <c>service.name</c> resource attribute: a <c>KeyValue</c> whose key is followed by its
    /// <c>AnyValue</c> (field 2, tag <c>0x12</c>, a length), whose <c>string_value</c> is field 1 (tag <c>0x0A</c>, a length, the
    /// name). Names are ASCII and short, so every length is one byte and every byte one character.
    /// </summary>
    private static IEnumerable<string> ServiceNamesIn(string text)
    {
        const string Key = "service.name\u0012";
        for (var at = text.IndexOf(Key, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Key, at + Key.Length, StringComparison.Ordinal))
        {
            var value = at + Key.Length + 1;
            if (value + 2 <= text.Length && text[value] == '\n' && value + 2 + text[value + 1] <= text.Length)
            {
                yield return text.Substring(value + 2, text[value + 1]);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }
    }
}
