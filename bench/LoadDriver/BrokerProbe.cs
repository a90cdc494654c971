using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// Publish → consume on a temporary queue of the broker: the floor under any propagation. One connection for all the
/// round trips, so that a run can interleave them with what it measures.
/// </summary>
public sealed class BrokerProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly SemaphoreSlim _received = new(0);

    private BrokerProbe(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    /// <summary>The broker at <paramref name="address"/>, else <c>ConnectionStrings__rabbitmq</c>, else the local one's default virtual host.</summary>
    public static async Task<BrokerProbe> OpenAsync(string? address = null)
    {
        address ??= Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? "amqp://guest:guest@127.0.0.1:5672/";
        var connection = await new ConnectionFactory { Uri = new Uri(address) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(exclusive: true, autoDelete: true)).QueueName;
        var probe = new BrokerProbe(connection, channel, queue);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, _) =>
        {
            probe._received.Release();
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return probe;
    }

    /// <summary>One message there and back, in milliseconds.</summary>
    public async Task<double> RoundTripAsync()
    {
        var started = Stopwatch.GetTimestamp();
        await _channel.BasicPublishAsync("", _queue, new byte[64]);
        await _received.WaitAsync();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public const string Name = "bare broker round trip (publish → consume)";

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
        _received.Dispose();
    }
}
