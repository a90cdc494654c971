using System.Collections.Concurrent;
using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;

namespace TeamPlatform.Invitations.Tests.Support;

/// <summary>
/// Another process on the service's virtual host: it records every invitation event (one at a time, so in the
/// order they were published) and every command sent to the notification queue, and publishes what identity
/// and permission would.
/// </summary>
public sealed class BusObserver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<object> _events;
    private readonly ConcurrentQueue<SendInvitation> _deliveries;

    private BusObserver(IBusControl bus, ConcurrentQueue<object> events, ConcurrentQueue<SendInvitation> deliveries)
    {
        _bus = bus;
        _events = events;
        _deliveries = deliveries;
    }

    public static async Task<BusObserver> StartAsync(string broker)
    {
        var events = new ConcurrentQueue<object>();
        var deliveries = new ConcurrentQueue<SendInvitation>();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(broker));
            rabbit.ReceiveEndpoint("outside-subscriber", endpoint =>
            {
                endpoint.ConcurrentMessageLimit = 1;
                endpoint.Instance(new EventRecorder(events));
            });
            rabbit.ReceiveEndpoint(CommandQueues.Notification, endpoint => endpoint.Instance(new DeliveryRecorder(deliveries)));
        });
        await bus.StartAsync();
        return new BusObserver(bus, events, deliveries);
    }

    public Task PublishAsync<T>(T message) where T : class => _bus.Publish(message);

    public IReadOnlyList<T> Events<T>(Func<T, bool> match) => _events.OfType<T>().Where(match).ToList();

    public IReadOnlyList<SendInvitation> Deliveries(Guid invitationId) => _deliveries.Where(d => d.InvitationId == invitationId).ToList();

    public Task<IReadOnlyList<T>> WaitForEvents<T>(Func<T, bool> match, int count = 1) =>
        Eventually.Until(() => Task.FromResult(Events(match)), found => found.Count >= count, what: $"{count} {typeof(T).Name}");

    public Task<IReadOnlyList<SendInvitation>> WaitForDeliveries(Guid invitationId, int count) =>
        Eventually.Until(() => Task.FromResult(Deliveries(invitationId)), found => found.Count >= count, what: $"{count} SendInvitation");

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    private sealed class EventRecorder(ConcurrentQueue<object> events) :
        IConsumer<InvitationCreated>,
        IConsumer<InvitationRenewed>,
        IConsumer<InvitationRevoked>,
        IConsumer<InvitationAccepted>,
        IConsumer<InvitationExpired>
    {
        public Task Consume(ConsumeContext<InvitationCreated> context) => Record(context.Message);

        public Task Consume(ConsumeContext<InvitationRenewed> context) => Record(context.Message);

        public Task Consume(ConsumeContext<InvitationRevoked> context) => Record(context.Message);

        public Task Consume(ConsumeContext<InvitationAccepted> context) => Record(context.Message);

        public Task Consume(ConsumeContext<InvitationExpired> context) => Record(context.Message);

        private Task Record(object message)
        {
            events.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    private sealed class DeliveryRecorder(ConcurrentQueue<SendInvitation> deliveries) : IConsumer<SendInvitation>
    {
        public Task Consume(ConsumeContext<SendInvitation> context)
        {
            deliveries.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}
