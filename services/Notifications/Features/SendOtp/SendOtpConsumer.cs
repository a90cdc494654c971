using System.Globalization;
using MassTransit;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.SendOtp;

/// <summary>
/// Identity's <see cref="Internal.Commands.SendOtp"/> command: the code over WhatsApp, template <c>otp</c>
/// (or <c>password_reset</c>). Attempts stop when the code expires.
/// </summary>
public sealed class SendOtpConsumer(NotificationDbContext db, DeliveryQueue queue)
    : InboxConsumer<Internal.Commands.SendOtp, NotificationDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<Internal.Commands.SendOtp> context)
    {
        var command = context.Message;
        var template = command.Purpose == OtpPurposes.PasswordReset ? TemplateNames.PasswordReset : TemplateNames.Otp;
        var minutes = Math.Max(1, (int)Math.Ceiling((command.ExpiresAt - command.OccurredAt).TotalMinutes));
        await queue.EnqueueAsync(
            new MessageRequest(
                command.OrgId,
                context.MessageId!.Value,
                template,
                command.Language,
                new Dictionary<string, string>
                {
                    ["code"] = command.Code,
                    ["organisation"] = command.OrganisationName,
                    ["minutes"] = minutes.ToString(CultureInfo.InvariantCulture),
                },
                ChannelNames.WhatsApp,
                command.Phone,
                command.ExpiresAt),
            context.CancellationToken);
    }
}
