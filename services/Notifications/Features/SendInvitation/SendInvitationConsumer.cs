using System.Globalization;
using MassTransit;
using MimeKit;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.SendInvitation;

/// <summary>Invitation's <see cref="Internal.Commands.SendInvitation"/> command: the link over WhatsApp, and by email when one is given.</summary>
public sealed class SendInvitationConsumer(NotificationDbContext db, DeliveryQueue queue)
    : InboxConsumer<Internal.Commands.SendInvitation, NotificationDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<Internal.Commands.SendInvitation> context)
    {
        var command = context.Message;
        var variables = new Dictionary<string, string>
        {
            ["inviter"] = command.InviterName,
            ["organisation"] = command.OrganisationName,
            ["expiresOn"] = command.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["link"] = command.Link,
        };

        await queue.EnqueueAsync(Request(ChannelNames.WhatsApp, command.Phone), context.CancellationToken);
        if (!string.IsNullOrWhiteSpace(command.Email) && MailboxAddress.TryParse(command.Email, out var email))
        {
            await queue.EnqueueAsync(Request(ChannelNames.Email, email.Address.ToLowerInvariant()), context.CancellationToken);
        }

        MessageRequest Request(string channel, string recipient) => new(
            command.OrgId, context.MessageId!.Value, TemplateNames.Invitation, command.Language, variables, channel, recipient, command.ExpiresAt);
    }
}
