using Microsoft.EntityFrameworkCore;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>Applies a provider's status callback to the log entry it names, with what follows (events, fallback).</summary>
public sealed partial class ReceiptHandler(
    NotificationDbContext db,
    DeliveryOutcomes outcomes,
    TimeProvider time,
    ILogger<ReceiptHandler> logger)
{
    /// <param name="notificationId">The entry the message's callback names, for an attempt that never learned the provider's id.</param>
    /// <param name="status">What the provider reports: sent, delivered, read or failed.</param>
    public async Task ApplyAsync(
        string provider, string providerMessageId, Guid? notificationId, DeliveryStatus status, string? error, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Waits for a worker holding the entry (say, deciding its fallback) rather than racing it.
        var entry = await db.Notifications
            .FromSql($"SELECT * FROM notifications WHERE provider = {provider} AND provider_message_id = {providerMessageId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (entry is null && notificationId is { } id)
        {
            entry = await db.Notifications
                .FromSql($"SELECT * FROM notifications WHERE id = {id} AND provider = {provider} AND provider_message_id IS NULL FOR UPDATE")
                .SingleOrDefaultAsync(cancellationToken);
        }

        if (entry is null)
        {
            LogUnknown(logger, provider);
            return;
        }

        var now = time.GetUtcNow();
        if (!entry.ApplyReceipt(status, error, now, providerMessageId))
        {
            return;
        }

        if (entry.Status == DeliveryStatus.Failed)
        {
            await outcomes.FailedAsync(entry, now, cancellationToken);
        }
        else
        {
            outcomes.Progressed(entry, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Provider} status callback named a message this service did not send; ignored")]
    private static partial void LogUnknown(ILogger logger, string provider);
}
