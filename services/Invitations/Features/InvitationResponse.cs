using System.Text.Json;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Infrastructure;

namespace TeamPlatform.Invitations.Features;

/// <summary>An invitation as admins see it (docs/invitations.md#for-admins). The link is shown only while it can still be used.</summary>
public sealed record InvitationResponse(
    Guid Id,
    string Phone,
    string? Email,
    InvitationStatus Status,
    string? Link,
    DateTimeOffset ExpiresAt,
    JsonElement Access,
    Guid InvitedBy,
    DateTimeOffset CreatedAt);

public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Turns stored invitations into what the API shows: the status at this moment and the link it carries.</summary>
public sealed class InvitationViews(InvitationTokens tokens, InvitationLinks links, TimeProvider time)
{
    public InvitationResponse Present(Invitation invitation)
    {
        var status = invitation.StatusAt(time.GetUtcNow());
        return new InvitationResponse(
            invitation.Id,
            invitation.Phone,
            invitation.Email,
            status,
            status == InvitationStatus.Pending ? LinkOf(invitation) : null,
            invitation.ExpiresAt,
            ParseAccess(invitation.Access),
            invitation.InvitedBy,
            invitation.CreatedAt);
    }

    /// <summary>The same link every time: the stored token decrypted.</summary>
    public string? LinkOf(Invitation invitation) =>
        invitation.ProtectedToken is { } protectedToken ? links.For(tokens.Reveal(protectedToken)) : null;

    public static JsonElement ParseAccess(string access)
    {
        using var document = JsonDocument.Parse(access);
        return document.RootElement.Clone();
    }
}
