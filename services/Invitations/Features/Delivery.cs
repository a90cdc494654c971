using TeamPlatform.Internal.Commands;
using TeamPlatform.Invitations.Domain;

namespace TeamPlatform.Invitations.Features;

/// <summary>
/// The command that has the notification service deliver an invitation (WhatsApp, and email when given).
/// It carries the link, so it goes to the notification queue through the outbox, never to a public exchange.
/// </summary>
internal static class Delivery
{
    public static SendInvitation SendInvitation(Invitation invitation, Organisation organisation, string link, DateTimeOffset now) => new(
        invitation.OrgId,
        invitation.Id,
        organisation.Name,
        invitation.InviterUsername,
        invitation.Phone,
        invitation.Email,
        link,
        organisation.Language,
        invitation.ExpiresAt,
        now);
}
