namespace TeamPlatform.Messaging;

/// <summary>
/// A message waiting to be relayed to RabbitMQ, written in the same transaction as the change it reports.
/// The row is deleted once the broker has confirmed it, so secrets in commands do not linger.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    /// <summary>Relay order.</summary>
    public long Sequence { get; private set; }

    /// <summary>The MassTransit message id; consumers deduplicate on it.</summary>
    public Guid MessageId { get; private set; }

    /// <summary>Assembly-qualified type name without version, resolved when relayed.</summary>
    public string MessageType { get; private set; } = "";

    public string Body { get; private set; } = "";

    /// <summary>A queue name for a command sent point to point; null for an event that is published.</summary>
    public string? Destination { get; private set; }

    /// <summary>The W3C trace parent of the change, so the relay's publish joins the request's trace.</summary>
    public string? TraceParent { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    internal static OutboxMessage Create(object message, string? destination, string body, string? traceParent) => new()
    {
        MessageId = Guid.CreateVersion7(),
        MessageType = TypeName(message.GetType()),
        Body = body,
        Destination = destination,
        TraceParent = traceParent,
    };

    internal static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
