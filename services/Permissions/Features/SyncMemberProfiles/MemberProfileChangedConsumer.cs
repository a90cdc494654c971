using MassTransit;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Features.SyncMemberProfiles;

/// <summary>Identity owns the profile; the team list shows it, so permission keeps a copy of username and phone.</summary>
public sealed class MemberProfileChangedConsumer(PermissionDbContext db)
    : InboxConsumer<MemberProfileChanged, PermissionDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<MemberProfileChanged> context)
    {
        var message = context.Message;
        var member = await Db.Members.SingleOrDefaultAsync(m => m.Id == message.MemberId && m.OrgId == message.OrgId, context.CancellationToken);
        member?.ChangeProfile(message.Username, message.Phone, message.OccurredAt);
    }
}
