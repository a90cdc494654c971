namespace TeamPlatform.Messaging;

/// <summary>A message a consumer has handled; its presence makes a redelivery a no-op.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    public string Consumer { get; set; } = "";

    public DateTimeOffset ProcessedAt { get; set; }
}
