using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Channels.Twilio;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.ServiceDefaults.Api;
using Twilio.Security;

namespace TeamPlatform.Notifications.Features.TwilioWebhook;

/// <summary>
/// Twilio's status callback for the SMS it sends: form fields <c>MessageSid</c>, <c>MessageStatus</c>,
/// <c>ErrorCode</c>, signed in <c>X-Twilio-Signature</c> over the callback URL and the fields.
/// </summary>
public static partial class TwilioWebhookEndpoint
{
    public const string Path = "/webhooks/twilio";
    public const string SignatureHeader = "X-Twilio-Signature";

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        HttpRequest request,
        IOptions<TwilioOptions> options,
        ReceiptHandler receipts,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return ApiProblem.NotFound("The Twilio webhook");
        }

        if (!request.HasFormContentType)
        {
            return ApiProblem.Of(ErrorCodes.UnsupportedMediaType, "This route takes application/x-www-form-urlencoded: Twilio posts form fields.");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString());
        // The signature covers the URL Twilio called: the public callback URL given with each message, which names
        // the entry (messages sent before it did are known by their sid alone).
        Guid? notificationId = Guid.TryParse(request.Query[TwilioOptions.NotificationParameter].ToString(), out var named) ? named : null;
        var calledUrl = notificationId is { } id ? settings.StatusCallbackFor(id) : settings.StatusCallbackUrl!;
        var valid = new RequestValidator(settings.AuthToken)
            .Validate(calledUrl.AbsoluteUri, fields, request.Headers[SignatureHeader].ToString());
        if (!valid)
        {
            LogForged(loggers.CreateLogger(typeof(TwilioWebhookEndpoint)));
            return ApiProblem.Of(ErrorCodes.Unauthenticated, "The request's signature does not match.");
        }

        var sid = fields.GetValueOrDefault("MessageSid") ?? fields.GetValueOrDefault("SmsSid");
        DeliveryStatus? status = fields.GetValueOrDefault("MessageStatus") switch
        {
            "sent" => DeliveryStatus.Sent,
            "delivered" => DeliveryStatus.Delivered,
            "read" => DeliveryStatus.Read,
            "undelivered" or "failed" or "canceled" => DeliveryStatus.Failed,
            _ => null, // accepted, queued, sending…: nothing the log does not already say
        };
        if (!string.IsNullOrEmpty(sid) && status is not null)
        {
            var error = status == DeliveryStatus.Failed
                ? $"twilio {fields.GetValueOrDefault("MessageStatus")}{(fields.TryGetValue("ErrorCode", out var code) && code.Length > 0 ? $" error {ProviderErrors.Sanitize(code)}" : "")}"
                : null;
            await receipts.ApplyAsync(ProviderNames.Twilio, sid, notificationId, status.Value, error, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Twilio status callback whose signature does not match")]
    private static partial void LogForged(ILogger logger);
}
