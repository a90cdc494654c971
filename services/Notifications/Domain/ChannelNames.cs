namespace TeamPlatform.Notifications.Domain;

/// <summary>The ways a message reaches someone. WhatsApp is the primary channel; SMS is its fallback.</summary>
public static class ChannelNames
{
    public const string WhatsApp = "whatsapp";
    public const string Sms = "sms";
    public const string Email = "email";

    public static readonly IReadOnlyList<string> All = [WhatsApp, Sms, Email];
}

/// <summary>The values of a delivery's <c>status</c>: queued → sent → delivered → read, or failed.</summary>
public static class DeliveryStatuses
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Queued, Sent, Delivered, Read, Failed];

    /// <summary>How far a message has come; receipts only ever move it forward.</summary>
    public static int Rank(string status) => status switch
    {
        Queued => 0,
        Sent => 1,
        Delivered => 2,
        Read => 3,
        _ => -1,
    };
}
