using System.Collections.Concurrent;
using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;

namespace TeamPlatform.Permissions.Tests;

/// <summary>An outside subscriber on the host's virtual host: records every event the service publishes.</summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<object> _events = new();

    private EventRecorder(string broker)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(broker));
            rabbit.ReceiveEndpoint($"test-recorder-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                Record<MemberRegistered>(endpoint);
                Record<MemberApprovalRequested>(endpoint);
                Record<MemberAccessChanged>(endpoint);
                Record<MemberRemoved>(endpoint);
                Record<GroupDeleted>(endpoint);
                Record<ConversationVisibilityChanged>(endpoint);
            });
        });
    }

    public static async Task<EventRecorder> StartAsync(PermissionHost host)
    {
        var recorder = new EventRecorder(host.Broker);
        await recorder._bus.StartAsync();
        return recorder;
    }

    public IEnumerable<T> All<T>() => _events.OfType<T>();

    /// <summary>Waits for the first <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool> match) where T : class =>
        (await Eventually.Until(() => Task.FromResult(All<T>().FirstOrDefault(match)), e => e is not null, what: typeof(T).Name))!;

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    private void Record<T>(IRabbitMqReceiveEndpointConfigurator endpoint) where T : class =>
        endpoint.Handler<T>(context =>
        {
            _events.Enqueue(context.Message);
            return Task.CompletedTask;
        });
}
