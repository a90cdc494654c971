using System.Text.Json;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Messaging;

namespace TeamPlatform.Invitations.Features;

/// <summary>
/// How an invitation comes to be, for one invitation and for every row of a bulk upload alike: the phone's lock,
/// the open invitation replaced (decision 0301), the invitation with its events, and its delivery through the outbox.
/// </summary>
public sealed class NewInvitations(InvitationTokens tokens, InvitationLinks links, TimeProvider time)
{
    /// <summary>
    /// Adds an invitation to <paramref name="db"/>, inside the caller's transaction; the caller saves and commits.
    /// Null when the phone has an open invitation and <paramref name="replaceOpen"/> is false.
    /// </summary>
    /// <param name="access">The access document as the permission service normalised it.</param>
    public async Task<Invitation?> IssueAsync(
        InvitationDbContext db,
        Organisation organisation,
        Guid inviterId,
        string inviterUsername,
        string phone,
        string? email,
        JsonElement access,
        bool replaceOpen,
        CancellationToken cancellationToken)
    {
        // Invitations of one phone queue here, so each finds the one before it and replaces it.
        await db.LockPhoneAsync(organisation.Id, phone, cancellationToken);
        var now = time.GetUtcNow();

        if (await db.OpenInvitationAsync(organisation.Id, phone, cancellationToken) is { } previous)
        {
            if (!replaceOpen)
            {
                return null;
            }

            previous.Revoke(inviterId, now);
            // The replaced invitation must stop being open before the new one is inserted.
            await db.SaveChangesAsync(cancellationToken);
        }

        var (token, stored) = tokens.Issue();
        var invitation = Invitation.Create(
            Guid.CreateVersion7(),
            organisation.Id,
            phone,
            email,
            access.GetRawText(),
            inviterId,
            inviterUsername,
            stored,
            organisation.InviteTtlDays,
            now);
        db.Invitations.Add(invitation);
        db.AddOutboxCommand(Delivery.SendInvitation(invitation, organisation, links.For(token), now), CommandQueues.Notification);
        return invitation;
    }
}
