using MassTransit;

namespace TeamPlatform.Messaging;

/// <summary>
/// The naming rule for durable shared queues: the name the service used for its classic queue, plus
/// <see cref="QuorumSuffix"/>. A queue's type cannot change, so the quorum queue needs a name of its own; the
/// suffix says what it is and keeps it next to the classic queue it replaces (decision 0018).
/// </summary>
public static class QueueNames
{
    public const string QuorumSuffix = "-quorum";

    /// <summary>Deliveries of one message after which a quorum queue gives up on it and moves it to the error queue.</summary>
    public const int DeliveryLimit = 20;

    public static string Quorum(string classicName) => classicName + QuorumSuffix;

    public static bool IsQuorum(string queueName) => queueName.EndsWith(QuorumSuffix, StringComparison.Ordinal);

    /// <summary>The classic queue a quorum queue replaces.</summary>
    public static string Classic(string quorumName) =>
        IsQuorum(quorumName) ? quorumName[..^QuorumSuffix.Length] : throw new ArgumentException($"'{quorumName}' is not a quorum queue name.", nameof(quorumName));

    /// <summary>
    /// Where a command for <paramref name="commandQueue"/> is sent: the exchange of its quorum queue. A <c>queue:</c>
    /// address would declare the queue as classic (MassTransit's send side passes no queue type), which the broker
    /// refuses for a quorum queue; send with <see cref="Mandatory"/> so that a command is refused, not dropped, while
    /// the consumer has never bound its queue.
    /// </summary>
    public static Uri CommandAddress(string commandQueue) =>
        new($"exchange:{(IsQuorum(commandQueue) ? commandQueue : Quorum(commandQueue))}");

    /// <summary>Marks a send as mandatory: the broker returns it when no queue is bound, and the send fails.</summary>
    public static void Mandatory(SendContext context)
    {
        if (context.TryGetPayload(out RabbitMqSendContext? rabbit))
        {
            rabbit.Mandatory = true;
        }
    }
}
