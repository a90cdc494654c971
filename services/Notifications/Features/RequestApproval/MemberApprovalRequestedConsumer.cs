using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.RequestApproval;

/// <summary>Someone waits for approval: every recipient (the organisation's active admins) gets <c>approval_request</c>.</summary>
public sealed class MemberApprovalRequestedConsumer(NotificationDbContext db, DeliveryQueue queue)
    : InboxConsumer<MemberApprovalRequested, NotificationDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<MemberApprovalRequested> context)
    {
        var request = context.Message;
        var organisation = await Db.Organisations.FindAsync([request.OrgId], context.CancellationToken);
        var variables = new Dictionary<string, string>
        {
            ["username"] = request.Username,
            ["organisation"] = organisation?.Name ?? "TeamPlatform",
        };

        foreach (var recipient in request.Recipients.DistinctBy(r => r.Phone))
        {
            await queue.EnqueueAsync(
                new MessageRequest(request.OrgId, context.MessageId!.Value, TemplateNames.ApprovalRequest, organisation?.Language, variables, ChannelNames.WhatsApp, recipient.Phone),
                context.CancellationToken);
        }
    }
}
