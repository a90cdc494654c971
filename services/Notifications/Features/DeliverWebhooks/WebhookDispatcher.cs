using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.DeliverWebhooks;

/// <summary>
/// Takes the next due delivery of an enabled endpoint, leases it (its next attempt moves past the attempt's timeout, in
/// a statement of its own, so no transaction stays open during the call and another replica leaves it alone), calls the
/// endpoint and records the outcome. A crash during the call leaves the lease to run out: the delivery is attempted
/// again, at least once, with the same <c>webhook-id</c>.
/// </summary>
public sealed partial class WebhookDispatcher(
    NotificationDbContext db,
    WebhookSender sender,
    NotificationMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger)
{
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    /// <returns>Whether there was a delivery to attempt.</returns>
    public async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leasedUntil = now + options.Value.AttemptTimeout + LeaseMargin;
        // One statement, committed on its own: at a hundred deliveries a second the lease's round trips were a runner's
        // main cost. The index on (next_attempt_at, created_at, id) lets it stop at the first row it can lock.
        var leased = await db.WebhookDeliveries
            .FromSql($"""
                UPDATE webhook_deliveries SET next_attempt_at = {leasedUntil}
                WHERE id = (
                    SELECT d.id FROM webhook_deliveries d
                    JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.disabled_at IS NULL
                    WHERE d.status = 'pending' AND d.next_attempt_at <= {now}
                    ORDER BY d.next_attempt_at, d.created_at, d.id
                    LIMIT 1
                    FOR UPDATE OF d SKIP LOCKED)
                RETURNING *
                """)
            .ToListAsync(cancellationToken);
        if (leased is not [var delivery])
        {
            return false;
        }

        // Untracked: the record reads the endpoint afresh under its lock.
        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (endpoint is null)
        {
            // Deleted since the lease: its deliveries went with it.
            LogEndpointGone(logger, delivery.EndpointId, delivery.Id);
            return true;
        }

        var attempt = await sender.SendAsync(endpoint, delivery, cancellationToken);
        await RecordAsync(delivery, attempt, cancellationToken);
        return true;
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        db.WebhookDeliveries
            .Where(d => d.Status == WebhookDeliveryStatus.Pending)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);

    private async Task RecordAsync(WebhookDelivery delivery, WebhookAttempt attempt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        metrics.WebhookAttempted(attempt.Succeeded, attempt.LatencyMs);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Other runners recorded their attempts during this one's call: the rules below read what they left.
        var endpoint = await db.LockWebhookEndpointAsync(delivery.EndpointId, exclusive: !attempt.Succeeded, cancellationToken);
        if (endpoint is null)
        {
            // Deleted during the call: its deliveries went with it, so there is nothing to record.
            LogEndpointGone(logger, delivery.EndpointId, delivery.Id);
            return;
        }

        if (attempt.Succeeded)
        {
            delivery.Delivered(attempt.ResponseStatus!.Value, attempt.LatencyMs, now);
            endpoint.Succeeded(now);
            if (delivery.ReplayedAt is null)
            {
                metrics.WebhookDelivered(now - delivery.CreatedAt);
            }
        }
        else
        {
            LogAttemptFailed(logger, delivery.Id, endpoint.Id, delivery.Attempts + 1, attempt.ResponseStatus);
            if (delivery.AttemptFailed(attempt.ResponseStatus, attempt.LatencyMs, attempt.Error!, now) && endpoint.GaveUpOn(delivery.ScheduleStartedAt, now))
            {
                LogEndpointDisabled(logger, endpoint.Id);
                await db.WebhookDeliveries
                    .Where(d => d.EndpointId == endpoint.Id && d.Status == WebhookDeliveryStatus.Pending && d.Id != delivery.Id)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed)
                        .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                        .SetProperty(d => d.LastError, WebhookDelivery.StoppedByDisablingError), cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed (attempt {Attempt}, status {Status})")]
    private static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, Guid endpointId, int attempt, int? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} was deleted while delivery {DeliveryId} was under way; nothing is recorded")]
    private static partial void LogEndpointGone(ILogger logger, Guid endpointId, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} failed for a whole retry schedule and was turned off")]
    private static partial void LogEndpointDisabled(ILogger logger, Guid endpointId);
}
