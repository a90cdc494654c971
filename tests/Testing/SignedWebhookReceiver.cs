using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace TeamPlatform.Testing;

/// <summary>
/// An organisation's webhook receiver, as its developers would write one: a small web app that checks every request
/// with the Standard Webhooks library (signature and timestamp, against the secret TeamPlatform showed at registration)
/// and answers 204; a request it refuses is answered 401. The system tests and the load driver's webhook run use it.
/// </summary>
public sealed class SignedWebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<Received> _received = new();
    private LoopbackWebApp? _web;

    /// <param name="Verified">Whether the library accepted the request; <paramref name="Refusal"/> says why not.</param>
    /// <param name="ArrivedAt">When it arrived, on the <see cref="Stopwatch"/>'s clock, for timings.</param>
    public sealed record Received(string Id, JsonElement Body, bool Verified, string? Refusal, DateTimeOffset At, long ArrivedAt)
    {
        public string Type => Body.GetProperty("type").GetString()!;

        public JsonElement Data => Body.GetProperty("data");
    }

    public string Url { get; private set; } = "";

    /// <summary>The signing secret to check with: set once registration answered it.</summary>
    public string? Secret { get; set; }

    /// <summary>More secrets, for a receiver that several endpoints deliver to: a request signed with any one passes.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public IReadOnlyList<Received> All => [.. _received];

    public static async Task<SignedWebhookReceiver> StartAsync()
    {
        var receiver = new SignedWebhookReceiver();
        receiver._web = await LoopbackWebApp.StartAsync(app => app.MapPost("/teamplatform", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var arrivedAt = Stopwatch.GetTimestamp();
            string? refusal = "no secret yet";
            foreach (var secret in receiver.Secrets.Append(receiver.Secret).OfType<string>())
            {
                try
                {
                    new StandardWebhook(secret).Verify(body, request.Headers);
                    refusal = null;
                    break;
                }
                catch (StandardWebhooks.Diagnostics.WebhookVerificationException exception)
                {
                    refusal = exception.Message;
                }
            }

            receiver._received.Enqueue(new Received(request.Headers["webhook-id"].ToString(), JsonDocument.Parse(body).RootElement.Clone(),
                refusal is null, refusal, DateTimeOffset.UtcNow, arrivedAt));
            return refusal is null ? Results.NoContent() : Results.Unauthorized();
        }));
        receiver.Url = $"{receiver._web.Address}/teamplatform";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }
    }
}
