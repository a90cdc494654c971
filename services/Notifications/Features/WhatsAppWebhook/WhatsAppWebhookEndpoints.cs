using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Channels.WhatsApp;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Notifications.Features.WhatsAppWebhook;

/// <summary>
/// The WhatsApp Cloud API's webhook: <c>GET</c> is Meta's verification handshake, <c>POST</c> carries message
/// statuses (sent, delivered, read, failed), signed with the app secret. Exists only where WhatsApp is configured.
/// </summary>
public static partial class WhatsAppWebhookEndpoints
{
    public const string Path = "/webhooks/whatsapp";

    public static Results<ContentHttpResult, ProblemHttpResult> Verify(
        [FromQuery(Name = "hub.mode")] string? mode,
        [FromQuery(Name = "hub.verify_token")] string? verifyToken,
        [FromQuery(Name = "hub.challenge")] string? challenge,
        IOptions<WhatsAppOptions> options)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return ApiProblem.NotFound("The WhatsApp webhook");
        }

        var tokenMatches = CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(verifyToken ?? ""), Encoding.UTF8.GetBytes(settings.VerifyToken));
        if (mode != "subscribe" || !tokenMatches || string.IsNullOrEmpty(challenge))
        {
            return ApiProblem.Forbidden("The verification token does not match.");
        }

        return TypedResults.Text(challenge, "text/plain");
    }

    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request,
        IOptions<WhatsAppOptions> options,
        ReceiptHandler receipts,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return ApiProblem.NotFound("The WhatsApp webhook");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (!WhatsAppSignature.IsValid(body, request.Headers[WhatsAppSignature.Header].ToString(), settings.AppSecret))
        {
            LogForged(loggers.CreateLogger(typeof(WhatsAppWebhookEndpoints)));
            return ApiProblem.Of(ErrorCodes.Unauthenticated, "The payload's signature does not match.");
        }

        List<(string Id, Guid? NotificationId, DeliveryStatus Status, string? Error)> statuses;
        try
        {
            statuses = StatusesOf(JsonNode.Parse(body)).ToList();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return ApiProblem.Validation("The payload is not a WhatsApp webhook notification.");
        }

        foreach (var (id, notificationId, status, error) in statuses)
        {
            await receipts.ApplyAsync(ProviderNames.WhatsAppCloud, id, notificationId, status, error, cancellationToken);
        }

        return TypedResults.Ok();
    }

    // entry[].changes[].value.statuses[]: {id, status, timestamp, recipient_id, biz_opaque_callback_data, errors: [{code, title}]}
    private static IEnumerable<(string Id, Guid? NotificationId, DeliveryStatus Status, string? Error)> StatusesOf(JsonNode? payload)
    {
        foreach (var entry in payload?["entry"]?.AsArray() ?? [])
        {
            foreach (var change in entry?["changes"]?.AsArray() ?? [])
            {
                foreach (var status in change?["value"]?["statuses"]?.AsArray() ?? [])
                {
                    var id = status?["id"]?.GetValue<string>();
                    DeliveryStatus? mapped = status?["status"]?.GetValue<string>() switch
                    {
                        "sent" => DeliveryStatus.Sent,
                        "delivered" => DeliveryStatus.Delivered,
                        "read" => DeliveryStatus.Read,
                        "failed" => DeliveryStatus.Failed,
                        _ => null,
                    };
                    if (id is null || mapped is null)
                    {
                        continue;
                    }

                    // The entry's id, which this service sent with the message (a status of one sent elsewhere may carry anything).
                    Guid? notificationId = Guid.TryParseExact(status?["biz_opaque_callback_data"]?.GetValue<string>(), "N", out var named) ? named : null;
                    var error = status?["errors"]?[0];
                    yield return (id, notificationId, mapped.Value, error is null
                        ? null
                        : $"whatsapp error {error["code"]?.ToJsonString()}: {ProviderErrors.Sanitize((error["error_data"]?["details"] ?? error["title"])?.ToString())}");
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a WhatsApp webhook call whose signature does not match")]
    private static partial void LogForged(ILogger logger);
}
