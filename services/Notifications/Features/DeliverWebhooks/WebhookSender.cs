using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.DeliverWebhooks;

public sealed record WebhookAttempt(bool Succeeded, int? ResponseStatus, int LatencyMs, string? Error);

/// <summary>
/// One attempt of one delivery: <c>POST</c> of the stored body with the Standard Webhooks headers, signed with every
/// secret that signs at that instant (the newest first, so a rotation's overlap carries both). A 2xx answer within the
/// attempt timeout is a success; anything else, a redirect included, is a failure to retry.
/// </summary>
public sealed class WebhookSender(HttpClient http, WebhookSecrets secrets, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string UserAgent = "TeamPlatform-Webhooks/1.0";

    public async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var payload = delivery.Payload ?? throw new InvalidOperationException("A delivery past retention is not attempted.");
        var now = time.GetUtcNow();
        var signature = string.Join(' ', endpoint.SigningSecrets(now).Select(secret =>
            new StandardWebhook(secrets.Unprotect(secret)).Sign(delivery.MessageId, now, payload)));

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.MessageId);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Options.Set(TelemetryRedaction.PathIsSecret, true);

        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(options.Value.AttemptTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
            var latency = Elapsed(started);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? new WebhookAttempt(true, status, latency, null)
                : new WebhookAttempt(false, status, latency, $"The endpoint answered {status} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(false, null, Elapsed(started), $"No answer within {options.Value.AttemptTimeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException exception)
        {
            return new WebhookAttempt(false, null, Elapsed(started), exception.Message);
        }
    }

    private static int Elapsed(long started) => (int)Math.Min(Stopwatch.GetElapsedTime(started).TotalMilliseconds, int.MaxValue);

    /// <summary>
    /// Connects only to addresses <see cref="WebhookTargets.IsPublic"/> allows, as the name resolves at this connection:
    /// a public name that resolves to a private address (or starts to, after registration) is refused here.
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowLocalTargets) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = allowLocalTargets ? addresses : [.. addresses.Where(WebhookTargets.IsPublic)];
            if (allowed.Length == 0)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, message: "The target resolves only to loopback or private addresses: refused.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
