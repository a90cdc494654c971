using Microsoft.Extensions.Options;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// What follows a change of a log entry, wherever it happened (an attempt, a status callback, a deadline):
/// the events outsiders see, and SMS taking over from WhatsApp where the organisation allows it.
/// Everything is added to the caller's unit of work.
/// </summary>
public sealed partial class DeliveryOutcomes(
    NotificationDbContext db,
    ChannelSelection channels,
    DeliverySignal signal,
    NotificationMetrics metrics,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryOutcomes> logger)
{
    /// <summary>The entry reached <c>sent</c>, <c>delivered</c> or <c>read</c>.</summary>
    public void Progressed(Notification entry, DateTimeOffset now)
    {
        var status = DeliveryStatuses.NameOf(entry.Status);
        db.AddOutboxEvent(new NotificationDelivered(entry.OrgId, entry.Id, entry.Template, entry.Channel, status, now));
        LogProgressed(logger, entry.Id, entry.Channel, status);
        metrics.Delivery(entry.Channel, status);
    }

    /// <summary>The entry failed: SMS takes over a WhatsApp message where allowed, else the failure is final.</summary>
    public async Task FailedAsync(Notification entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await TryFallBackAsync(entry, now, cancellationToken))
        {
            return;
        }

        entry.GoOnWithoutFallback(now);
        db.AddOutboxEvent(new NotificationFailed(entry.OrgId, entry.Id, entry.Template, entry.Channel, entry.LastError ?? "failed", now));
        LogFailed(logger, entry.Id, entry.Channel, entry.Attempts, entry.LastError ?? "");
        metrics.Delivery(entry.Channel, DeliveryStatuses.NameOf(DeliveryStatus.Failed));
    }

    /// <summary>WhatsApp had its time without delivering.</summary>
    public async Task FallbackDueAsync(Notification entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await TryFallBackAsync(entry, now, cancellationToken))
        {
            entry.GoOnWithoutFallback(now);
        }
    }

    /// <summary>
    /// An attempt's outcome was unknown and no receipt came by its deadline: SMS takes over a WhatsApp message where
    /// allowed, else the message goes out again on its channel (or fails, its attempts or time spent).
    /// </summary>
    public async Task ReceiptOverdueAsync(Notification entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await TryFallBackAsync(entry, now, cancellationToken))
        {
            return;
        }

        LogNoReceipt(logger, entry.Id, entry.Channel);
        entry.ResendAfterNoReceipt(options.Value.Retries, now);
        if (entry.Status == DeliveryStatus.Failed)
        {
            await FailedAsync(entry, now, cancellationToken);
        }
        else
        {
            signal.Notify();
        }
    }

    private async Task<bool> TryFallBackAsync(Notification entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sms = channels.ProviderFor(ChannelNames.Sms);
        if (entry.EnsureMayFallBack(now) is not null || sms is null || !await SmsFallbackAllowedAsync(entry.OrgId, cancellationToken))
        {
            return false;
        }

        if (entry.FallBackToSms(sms, now, out var fallback) is not null || fallback is null)
        {
            return false;
        }

        db.Notifications.Add(fallback);
        LogFallback(logger, entry.Id, fallback.Id, entry.LastError ?? "no delivery receipt in time");
        metrics.Delivery(entry.Channel, NotificationMetrics.FellBack);
        signal.Notify();
        return true;
    }

    private async Task<bool> SmsFallbackAllowedAsync(Guid orgId, CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.FindAsync([orgId], cancellationToken);
        return organisation?.SmsFallback ?? options.Value.SmsFallbackForUnknownOrganisation;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{NotificationId} over {Channel} is {Status}")]
    private static partial void LogProgressed(ILogger logger, Guid notificationId, string channel, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{NotificationId} over {Channel} failed after {Attempts} attempts: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid notificationId, string channel, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{NotificationId} over {Channel}: no receipt by the deadline of an attempt whose outcome is unknown, and SMS does not take over")]
    private static partial void LogNoReceipt(ILogger logger, Guid notificationId, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "{NotificationId} falls back to SMS as {FallbackId} ({Reason})")]
    private static partial void LogFallback(ILogger logger, Guid notificationId, Guid fallbackId, string reason);
}
