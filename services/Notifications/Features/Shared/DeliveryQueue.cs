using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// Puts messages in the delivery log as <c>queued</c>, in the consumer's transaction; the worker sends them.
/// An entry for the same source message, channel and recipient means a redelivery: nothing is added.
/// </summary>
public sealed partial class DeliveryQueue(
    NotificationDbContext db,
    ChannelSelection channels,
    SecretProtector secrets,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryQueue> logger)
{
    public async Task EnqueueAsync(MessageRequest request, CancellationToken cancellationToken)
    {
        var provider = channels.ProviderFor(request.Channel);
        if (provider is null)
        {
            LogChannelUnavailable(logger, request.Template, request.Channel);
            return;
        }

        var alreadyQueued = await db.Notifications.AnyAsync(
            n => n.SourceMessageId == request.SourceMessageId && n.Channel == request.Channel && n.Recipient == request.Recipient,
            cancellationToken);
        if (alreadyQueued || db.Notifications.Local.Any(n => n.SourceMessageId == request.SourceMessageId && n.Channel == request.Channel && n.Recipient == request.Recipient))
        {
            return;
        }

        var now = time.GetUtcNow();
        var settings = options.Value;
        var message = MessageTemplates.Render(request.Template, request.Language, request.Variables);
        var secret = secrets.Protect(request.Variables.Where(v => MessageTemplates.SecretVariables.Contains(v.Key)).ToDictionary());
        var giveUpAt = now + settings.RetryWindow;
        if (request.ExpiresAt is { } expires && expires < giveUpAt)
        {
            giveUpAt = expires;
        }

        var entry = Notification.Queue(
            request.OrgId, request.SourceMessageId, request.Channel, provider, request.Recipient,
            message, secret, giveUpAt, settings.SmsFallbackAfter, now);
        db.Notifications.Add(entry);
        LogQueued(logger, entry.Id, entry.Template, entry.Channel, Mask(entry.Recipient));
    }

    internal static string Mask(string recipient) => recipient.Contains('@', StringComparison.Ordinal) ? MaskEmail(recipient) : Phones.Mask(recipient);

    internal static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {NotificationId}: {Template} over {Channel} to {Recipient}")]
    private static partial void LogQueued(ILogger logger, Guid notificationId, string template, string channel, string recipient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No provider serves {Channel}: the {Template} message is not sent on it")]
    private static partial void LogChannelUnavailable(ILogger logger, string template, string channel);
}
