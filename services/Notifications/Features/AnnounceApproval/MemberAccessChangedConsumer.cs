using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.AnnounceApproval;

/// <summary>
/// A member went from <c>pending_approval</c> to <c>active</c>: they get <c>approved</c>. Their time-bound access ended by
/// itself: they get <c>access_expired</c>. Other access changes say nothing.
/// </summary>
public sealed class MemberAccessChangedConsumer(NotificationDbContext db, DeliveryQueue queue)
    : InboxConsumer<MemberAccessChanged, NotificationDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<MemberAccessChanged> context)
    {
        var change = context.Message;
        var template = change switch
        {
            { ChangedByKind: ChangeKinds.Expiry } => TemplateNames.AccessExpired,
            { PreviousStatus: MemberStatuses.PendingApproval, Status: MemberStatuses.Active } => TemplateNames.Approved,
            _ => null,
        };
        if (template is null)
        {
            return;
        }

        // MemberRegistered comes first from the same outbox; should it still be on its way, the retry finds it.
        var member = await Db.Members.FindAsync([change.MemberId], context.CancellationToken)
            ?? throw new MemberNotKnownYetException(change.MemberId);
        var organisation = await Db.Organisations.FindAsync([change.OrgId], context.CancellationToken);
        await queue.EnqueueAsync(
            new MessageRequest(
                change.OrgId,
                context.MessageId!.Value,
                template,
                organisation?.Language,
                new Dictionary<string, string>
                {
                    ["username"] = member.Username,
                    ["organisation"] = organisation?.Name ?? "TeamPlatform",
                },
                ChannelNames.WhatsApp,
                member.Phone),
            context.CancellationToken);
    }
}

public sealed class MemberNotKnownYetException(Guid memberId)
    : Exception($"Member {memberId} is not in the notification directory yet.");
