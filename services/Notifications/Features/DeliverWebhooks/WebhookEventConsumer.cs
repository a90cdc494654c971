using System.Reflection;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.DeliverWebhooks;

/// <summary>
/// An organisation's event becomes one delivery for each of its endpoints that wants it, in the inbox's transaction:
/// the body is the Standard Webhooks envelope <c>{type, timestamp, data}</c> with <c>data</c> the record as the
/// broker carries it. Another organisation's endpoints never see it.
/// </summary>
public sealed class WebhookEventConsumer<TEvent>(NotificationDbContext db, WebhookSignal signal, TimeProvider time)
    : InboxConsumer<TEvent, NotificationDbContext>(db)
    where TEvent : class
{
    private static readonly PropertyInfo OrgIdProperty = typeof(TEvent).GetProperty("OrgId")!;
    private static readonly PropertyInfo OccurredAtProperty = typeof(TEvent).GetProperty("OccurredAt")!;
    private static readonly string EventType = typeof(TEvent).Name;

    protected override string InboxName => $"webhooks:{EventType}";

    protected override async Task HandleAsync(ConsumeContext<TEvent> context)
    {
        var orgId = (Guid)OrgIdProperty.GetValue(context.Message)!;
        var endpoints = await Db.WebhookEndpoints
            .Where(e => e.OrgId == orgId && e.EventTypes.Contains(EventType))
            .ToListAsync(context.CancellationToken);
        if (endpoints.Count == 0)
        {
            return;
        }

        var payload = Envelope(context.Message);
        var now = time.GetUtcNow();
        foreach (var endpoint in endpoints)
        {
            Db.WebhookDeliveries.Add(WebhookDelivery.For(endpoint, EventType, context.MessageId!.Value, payload, now));
        }
    }

    protected override void Committed() => signal.Notify();

    // The broker's naming and converters, written compactly: the signature covers these exact bytes.
    private static readonly JsonSerializerOptions Json = new(SystemTextJsonMessageSerializer.Options) { WriteIndented = false };

    internal static string Envelope(TEvent message) => JsonSerializer.Serialize(
        new WebhookBody(EventType, (DateTimeOffset)OccurredAtProperty.GetValue(message)!, message), Json);

    private sealed record WebhookBody(string Type, DateTimeOffset Timestamp, TEvent Data);
}

/// <summary>Every subscribable event on one queue of this service's: its bindings are the list of events.</summary>
internal static class WebhookConsumers
{
    public const string Queue = "notification-webhooks";

    /// <summary>
    /// Events taken in at once. Each spends most of its time waiting for its commit, and MassTransit's default (twice
    /// the processors: four on two cores) let the queue fall seconds behind at a hundred events a second.
    /// </summary>
    public const int ConcurrentEvents = 32;

    public static void AddWebhookConsumers(this IBusRegistrationConfigurator bus)
    {
        foreach (var type in WebhookEventTypes.Subscribable)
        {
            bus.AddConsumer(typeof(WebhookEventConsumer<>).MakeGenericType(type))
                .Endpoint(endpoint =>
                {
                    endpoint.Name = QueueNames.Quorum(Queue);
                    endpoint.PrefetchCount = ConcurrentEvents;
                    endpoint.ConcurrentMessageLimit = ConcurrentEvents;
                });
        }
    }
}
