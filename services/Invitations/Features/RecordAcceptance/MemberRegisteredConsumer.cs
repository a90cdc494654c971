using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Messaging;

namespace TeamPlatform.Invitations.Features.RecordAcceptance;

/// <summary>
/// An invitation is accepted once its token is consumed; it becomes a member when the permission service says so.
/// Then, and only then, <c>InvitationAccepted</c> goes out, with the member's id.
/// </summary>
public sealed class MemberRegisteredConsumer(InvitationDbContext db, TimeProvider time, ILogger<MemberRegisteredConsumer> logger)
    : InboxConsumer<MemberRegistered, InvitationDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<MemberRegistered> context)
    {
        var message = context.Message;
        if (message.Via != RegistrationRoutes.Invitation || message.InvitationId is not { } invitationId)
        {
            return;
        }

        var invitation = await Db.LockAsync(message.OrgId, invitationId, context.CancellationToken);
        if (invitation is null)
        {
            logger.LogWarning("Member {MemberId} registered through invitation {InvitationId}, which this service does not know", message.MemberId, invitationId);
            return;
        }

        if (!invitation.RecordMember(message.MemberId, time.GetUtcNow()) && invitation.MemberId != message.MemberId)
        {
            logger.LogWarning("Member {MemberId} registered through invitation {InvitationId}, which is not accepted or became member {OtherMemberId}",
                message.MemberId, invitationId, invitation.MemberId);
        }
    }
}
