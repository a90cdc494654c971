using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Channels;

/// <summary>One message, rendered for its recipient, secrets included: it exists only for the length of an attempt.</summary>
public sealed record OutgoingMessage(Guid NotificationId, Guid OrgId, string Recipient, RenderedMessage Message);

/// <summary>
/// A provider that carries messages over one channel (WhatsApp Cloud API, Twilio SMS, SMTP, or the development
/// channel). It never throws for a provider's refusal: it answers what happened, so the caller can retry, fall
/// back or give up.
/// </summary>
public interface IChannelProvider
{
    /// <summary>One of <see cref="ChannelNames"/>.</summary>
    string Channel { get; }

    /// <summary>The name the delivery log shows: <c>dev</c>, <c>whatsapp_cloud</c>, <c>twilio</c>, <c>smtp</c>.</summary>
    string Name { get; }

    /// <summary>The longest one call may take: the receipt of an attempt cut short by a crash is awaited after it.</summary>
    TimeSpan CallLimit { get; }

    /// <summary>
    /// Whether sending is a write in the attempt's own transaction (the development channel): a crash then leaves no
    /// doubt whether it happened, and the attempt needs no record of its own before the call.
    /// </summary>
    bool SendsInTheAttemptTransaction { get; }

    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

public static class ProviderNames
{
    public const string Development = "dev";
    public const string WhatsAppCloud = "whatsapp_cloud";
    public const string Twilio = "twilio";
    public const string Smtp = "smtp";
}
