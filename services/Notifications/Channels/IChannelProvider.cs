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

    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

public static class ProviderNames
{
    public const string Development = "dev";
    public const string WhatsAppCloud = "whatsapp_cloud";
    public const string Twilio = "twilio";
    public const string Smtp = "smtp";
}
