namespace TeamPlatform.Notifications.Domain;

/// <summary>The ways a message reaches someone. WhatsApp is the primary channel; SMS is its fallback.</summary>
public static class ChannelNames
{
    public const string WhatsApp = "whatsapp";
    public const string Sms = "sms";
    public const string Email = "email";

    public static readonly IReadOnlyList<string> All = [WhatsApp, Sms, Email];
}

/// <summary>
/// How far a message has come, declared in the order it gets there: queued → sent → delivered → read. Failed ends it
/// from queued or sent.
/// </summary>
public enum DeliveryStatus
{
    Queued,
    Sent,
    Delivered,
    Read,
    Failed,
}

/// <summary>The wire names of <see cref="DeliveryStatus"/>: what the delivery log, the events and the database say.</summary>
public static class DeliveryStatuses
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Queued, Sent, Delivered, Read, Failed];

    public static string NameOf(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued => Queued,
        DeliveryStatus.Sent => Sent,
        DeliveryStatus.Delivered => Delivered,
        DeliveryStatus.Read => Read,
        DeliveryStatus.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a delivery status."),
    };

    public static DeliveryStatus Parse(string name) =>
        TryParse(name, out var status) ? status : throw new ArgumentException($"Unknown delivery status '{name}'.", nameof(name));

    public static bool TryParse(string? name, out DeliveryStatus status)
    {
        (var known, status) = name switch
        {
            Queued => (true, DeliveryStatus.Queued),
            Sent => (true, DeliveryStatus.Sent),
            Delivered => (true, DeliveryStatus.Delivered),
            Read => (true, DeliveryStatus.Read),
            Failed => (true, DeliveryStatus.Failed),
            _ => (false, default),
        };
        return known;
    }
}
