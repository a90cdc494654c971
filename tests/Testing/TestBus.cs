using System.Collections.Concurrent;
using MassTransit;
using TeamPlatform.Messaging;

namespace TeamPlatform.Testing;

/// <summary>
/// Another process on a host's virtual host: it publishes and sends what other services would, and records what
/// it subscribes to (events on a queue of its own, commands on the queue they are sent to), one message at a
/// time, so in the order they arrive.
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private const string EventQueue = "test-subscriber";

    private readonly IBusControl _bus;
    private readonly Recording _received;

    private TestBus(IBusControl bus, Recording received)
    {
        _bus = bus;
        _received = received;
    }

    /// <summary>Starts the bus; its queues are bound when this returns, so nothing published afterwards is missed.</summary>
    public static async Task<TestBus> StartAsync(string broker, Action<Subscriptions>? subscribe = null)
    {
        var subscriptions = new Subscriptions();
        subscribe?.Invoke(subscriptions);
        var received = new Recording();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(broker));
            foreach (var (queue, handlers) in subscriptions.Queues)
            {
                rabbit.ReceiveEndpoint(queue, endpoint =>
                {
                    if (QueueNames.IsQuorum(queue))
                    {
                        endpoint.ConfigureQuorumQueue(queue);
                    }

                    endpoint.ConcurrentMessageLimit = 1;
                    foreach (var handler in handlers)
                    {
                        handler(endpoint, received);
                    }
                });
            }
        });
        await bus.StartAsync();
        return new TestBus(bus, received);
    }

    /// <param name="messageId">The message id to publish under (a redelivery repeats one); a new one by default.</param>
    public Task Publish<T>(T message, Guid? messageId = null) where T : class =>
        _bus.Publish(message, context => context.MessageId = messageId ?? context.MessageId);

    public async Task Send<T>(string queue, T message, Guid? messageId = null) where T : class
    {
        var endpoint = await _bus.GetSendEndpoint(QueueNames.CommandAddress(queue));
        await endpoint.Send(message, context =>
        {
            context.MessageId = messageId ?? context.MessageId;
            QueueNames.Mandatory(context);
        });
    }

    /// <summary>What has arrived so far, oldest first.</summary>
    public IReadOnlyList<T> Received<T>(Func<T, bool>? match = null) =>
        _received.Messages.OfType<T>().Where(match ?? (_ => true)).ToList();

    /// <summary>Waits for the first <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool> match) => (await WaitFor(match, count: 1))[0];

    /// <summary>
    /// Waits until <paramref name="count"/> matching messages have arrived (looking again as each message arrives,
    /// for 15 s at most); answers every match so far.
    /// </summary>
    public async Task<IReadOnlyList<T>> WaitFor<T>(Func<T, bool> match, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var arrival = _received.NextArrival;
            var found = Received(match);
            if (found.Count >= count)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out waiting for {count} {typeof(T).Name}; {found.Count} arrived");
            }

            await arrival.WaitAsync(left).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    /// <summary>The messages a <see cref="TestBus"/> records.</summary>
    public sealed class Subscriptions
    {
        internal Dictionary<string, List<Action<IReceiveEndpointConfigurator, Recording>>> Queues { get; } = [];

        /// <summary>Records every published <typeparamref name="T"/>.</summary>
        public Subscriptions Event<T>() where T : class => On<T>(EventQueue);

        /// <summary>
        /// Records every <typeparamref name="T"/> sent to the command queue <paramref name="queue"/> (its quorum queue),
        /// taking the place of its consumer.
        /// </summary>
        public Subscriptions Command<T>(string queue) where T : class => On<T>(QueueNames.Quorum(queue));

        private Subscriptions On<T>(string queue) where T : class
        {
            if (!Queues.TryGetValue(queue, out var handlers))
            {
                Queues[queue] = handlers = [];
            }

            handlers.Add((endpoint, received) => endpoint.Handler<T>(context =>
            {
                received.Add(context.Message);
                return Task.CompletedTask;
            }));
            return this;
        }
    }

    /// <summary>The messages in the order they arrived, and a task that completes when the next one does.</summary>
    internal sealed class Recording
    {
        private readonly ConcurrentQueue<object> _messages = new();
        private TaskCompletionSource _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IEnumerable<object> Messages => _messages;

        /// <summary>Taken before looking at <see cref="Messages"/>, so that a message arriving meanwhile is not missed.</summary>
        public Task NextArrival => Volatile.Read(ref _arrival).Task;

        public void Add(object message)
        {
            _messages.Enqueue(message);
            Interlocked.Exchange(ref _arrival, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        }
    }
}
