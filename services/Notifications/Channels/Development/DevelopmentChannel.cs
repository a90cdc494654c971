using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Channels.Development;

/// <summary>
/// "Delivers" by recording the message, secrets included, in its own store that
/// <c>GET /api/dev/notifications</c> serves, so a developer (or a test) can read an OTP without any provider.
/// The record is written in the attempt's transaction: it exists exactly when the log says delivered.
/// </summary>
internal sealed class DevelopmentChannel(string channel, NotificationDbContext db, TimeProvider time) : IChannelProvider
{
    public string Channel { get; } = channel;

    public string Name => ProviderNames.Development;

    public TimeSpan CallLimit => TimeSpan.Zero;

    public bool SendsInTheAttemptTransaction => true;

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        db.DevMessages.Add(DevMessage.Record(message.NotificationId, message.OrgId, message.Recipient, Channel, message.Message, time.GetUtcNow()));
        return Task.FromResult<SendResult>(new SendResult.Accepted($"dev-{message.NotificationId:N}", DeliveryStatus.Delivered));
    }
}

/// <summary>A message the development channel "delivered", as its inbox shows it.</summary>
public sealed class DevMessage
{
    private DevMessage()
    {
    }

    /// <summary>Insertion order: newest first must hold even when many messages share a timestamp.</summary>
    public long Sequence { get; private set; }

    /// <summary>The delivery log entry's id.</summary>
    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    public string To { get; private set; } = "";

    public string Channel { get; private set; } = "";

    public string Template { get; private set; } = "";

    public string Body { get; private set; } = "";

    public Dictionary<string, string> Variables { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public static DevMessage Record(Guid id, Guid orgId, string to, string channel, RenderedMessage message, DateTimeOffset now) => new()
    {
        Id = id,
        OrgId = orgId,
        To = to,
        Channel = channel,
        Template = message.Template,
        Body = message.Body,
        Variables = new Dictionary<string, string>(message.Variables),
        CreatedAt = now,
    };
}
