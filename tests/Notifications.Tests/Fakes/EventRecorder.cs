using System.Collections.Concurrent;
using MassTransit;
using TeamPlatform.Contracts.V1;

namespace TeamPlatform.Notifications.Tests.Fakes;

/// <summary>An outside subscriber on the host's virtual host: what the service published.</summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private EventRecorder(IBusControl bus) => _bus = bus;

    public ConcurrentQueue<NotificationDelivered> Delivered { get; } = new();

    public ConcurrentQueue<NotificationFailed> Failed { get; } = new();

    public static async Task<EventRecorder> StartAsync(string broker)
    {
        EventRecorder? recorder = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(broker));
            rabbit.ReceiveEndpoint("test-outside-subscriber", endpoint =>
            {
                endpoint.Handler<NotificationDelivered>(context =>
                {
                    recorder!.Delivered.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
                endpoint.Handler<NotificationFailed>(context =>
                {
                    recorder!.Failed.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        recorder = new EventRecorder(bus);
        await bus.StartAsync();
        return recorder;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
