using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.DeliverWebhooks;

/// <summary>The webhook worker's slower chores: telling admins, and retention.</summary>
public sealed partial class WebhookHousekeeping(
    NotificationDbContext db,
    PermissionClient permissions,
    DeliveryQueue queue,
    DeliverySignal deliverySignal,
    TimeProvider time,
    ILogger<WebhookHousekeeping> logger)
{
    /// <summary>
    /// Each endpoint turned off for failing sends <c>webhook_disabled</c> to every active admin of its organisation, in the
    /// transaction that marks them told. When permission does not answer, the endpoint waits for the next round.
    /// </summary>
    /// <returns>False when permission did not answer.</returns>
    public async Task<bool> TellAdminsAsync(CancellationToken cancellationToken)
    {
        var disabled = await db.WebhookEndpoints
            .Where(e => e.DisabledAt != null && e.AdminsToldAt == null)
            .OrderBy(e => e.DisabledAt)
            .Take(20)
            .ToListAsync(cancellationToken);
        foreach (var endpoint in disabled)
        {
            IReadOnlyList<AdminContact> admins;
            try
            {
                admins = await permissions.AdminsAsync(endpoint.OrgId, cancellationToken);
            }
            catch (DependencyUnavailableException)
            {
                LogAdminsUnknown(logger, endpoint.Id);
                return false;
            }

            var organisation = await db.Organisations.FindAsync([endpoint.OrgId], cancellationToken);
            var variables = new Dictionary<string, string>
            {
                ["organisation"] = organisation?.Name ?? "TeamPlatform",
                // The host only: a URL's path or query may hold the receiver's own secret.
                ["host"] = new Uri(endpoint.Url).Host,
            };
            var notice = Guid.CreateVersion7(time.GetUtcNow());
            foreach (var admin in admins.DistinctBy(a => a.Phone))
            {
                await queue.EnqueueAsync(
                    new MessageRequest(endpoint.OrgId, notice, TemplateNames.WebhookDisabled, organisation?.Language, variables, ChannelNames.WhatsApp, admin.Phone),
                    cancellationToken);
            }

            endpoint.AdminsTold(time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            deliverySignal.Notify();
        }

        return true;
    }

    /// <summary>Payloads go after 7 days (nothing older can be replayed), log entries after 30.</summary>
    public async Task ForgetExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var payloadsBefore = now - WebhookDelivery.PayloadRetention;
        var entriesBefore = now - WebhookDelivery.LogRetention;
        await db.WebhookDeliveries
            .Where(d => d.CreatedAt < payloadsBefore && d.Payload != null && d.Status != WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Payload, (string?)null), cancellationToken);
        await db.WebhookDeliveries
            .Where(d => d.CreatedAt < entriesBefore && d.Status != WebhookDeliveryStatus.Pending)
            .ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Permission did not answer who the admins are: endpoint {EndpointId}'s admins are told later")]
    private static partial void LogAdminsUnknown(ILogger logger, Guid endpointId);
}
