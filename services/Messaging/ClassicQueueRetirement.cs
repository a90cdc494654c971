using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace TeamPlatform.Messaging;

/// <summary>The quorum queues this process consumes from, gathered while MassTransit configures its endpoints.</summary>
public sealed class QuorumEndpoints
{
    private readonly HashSet<string> _names = [];

    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_names)
            {
                return [.. _names];
            }
        }
    }

    internal void Add(string queueName)
    {
        lock (_names)
        {
            _names.Add(queueName);
        }
    }
}

/// <summary>
/// Retires the classic queues that the quorum queues replace (decision 0018). Once the bus is up (the quorum queues
/// bound), for each classic queue that still exists and that no consumer reads: its exchange is deleted (no new
/// copies reach it), every message it holds is moved to the quorum queue (published with a confirm, then acknowledged,
/// so a crash repeats a message at worst and the inbox drops the repeat), and it is deleted if still empty and unused.
/// The same for its <c>_error</c> and <c>_skipped</c> queues. Replicas may do this at once: each message is taken by
/// one of them. A classic queue still read (an old version still running) is left for a later pass; passes repeat
/// for <see cref="MessagingOptions.QueueRetirementWindow"/>, since old senders in a rolling update may declare one again.
/// </summary>
internal sealed partial class ClassicQueueRetirement(
    IBusControl bus,
    QuorumEndpoints endpoints,
    BrokerAddress broker,
    Microsoft.Extensions.Options.IOptions<MessagingOptions> options,
    ILogger<ClassicQueueRetirement> logger) : BackgroundService
{
    private static readonly string[] CompanionSuffixes = ["", "_error", "_skipped"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var until = DateTimeOffset.UtcNow + options.Value.QueueRetirementWindow;
        while (!stoppingToken.IsCancellationRequested)
        {
            var left = 0;
            try
            {
                if (await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)) == BusHealthStatus.Healthy)
                {
                    left = await RetireAllAsync(stoppingToken);
                }
                else
                {
                    left = 1;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                left = 1;
                LogPassFailed(logger, exception);
            }

            if (left == 0 && DateTimeOffset.UtcNow >= until)
            {
                return;
            }

            try
            {
                await Task.Delay(options.Value.QueueRetirementInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every classic queue this process replaced; answers how many are still there.</summary>
    internal async Task<int> RetireAllAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = broker.Uri, ClientProvidedName = "classic queue retirement" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        var left = 0;
        foreach (var quorum in endpoints.Names)
        {
            foreach (var suffix in CompanionSuffixes)
            {
                if (!await RetireAsync(connection, QueueNames.Classic(quorum) + suffix, quorum + suffix, declareTarget: suffix != "", cancellationToken))
                {
                    left++;
                }
            }
        }

        return left;
    }

    /// <summary>Answers true when <paramref name="classic"/> is gone (or was never there).</summary>
    private async Task<bool> RetireAsync(IConnection connection, string classic, string quorum, bool declareTarget, CancellationToken cancellationToken)
    {
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        // A passive declare of a missing queue closes the channel: one channel per queue.
        await using var channel = await connection.CreateChannelAsync(options, cancellationToken);
        QueueDeclareOk existing;
        try
        {
            existing = await channel.QueueDeclarePassiveAsync(classic, cancellationToken);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return true;
        }

        if (existing.ConsumerCount > 0)
        {
            // Deleting a queue drops what its consumer holds unacknowledged: wait until the old version is gone.
            LogStillConsumed(logger, classic, existing.ConsumerCount);
            return false;
        }

        await channel.ExchangeDeleteAsync(classic, ifUnused: false, cancellationToken: cancellationToken);
        if (declareTarget)
        {
            // The error and skipped queues exist once MassTransit first used them: declare them as it would.
            await channel.ExchangeDeclareAsync(quorum, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(quorum, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(quorum, quorum, "", cancellationToken: cancellationToken);
        }

        var moved = 0;
        while (await channel.BasicGetAsync(classic, autoAck: false, cancellationToken) is { } message)
        {
            // The default exchange routes to the quorum queue alone; mandatory and confirmed, so a message leaves
            // the classic queue only once the quorum queue holds it.
            await channel.BasicPublishAsync("", quorum, mandatory: true, new BasicProperties(message.BasicProperties),
                message.Body.ToArray(), cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }

        try
        {
            await channel.QueueDeleteAsync(classic, ifUnused: true, ifEmpty: true, cancellationToken: cancellationToken);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 406)
        {
            // A message or a consumer arrived meanwhile: the next pass moves it.
            return false;
        }

        LogRetired(logger, classic, quorum, moved);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retired classic queue {Classic}: {Moved} messages moved to {Quorum}")]
    private static partial void LogRetired(ILogger logger, string classic, string quorum, int moved);

    [LoggerMessage(Level = LogLevel.Information, Message = "Classic queue {Classic} still has {Consumers} consumers (an older version); retiring it later")]
    private static partial void LogStillConsumed(ILogger logger, string classic, uint consumers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retiring classic queues failed; trying again later")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

/// <summary>The broker's AMQP address, as the bus was given it.</summary>
internal sealed record BrokerAddress(Uri Uri);
