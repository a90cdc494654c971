using System.Text.Json;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>The invitation service's internal API, as identity uses it (docs/internal-api.md).</summary>
public sealed class InvitationClient(HttpClient http)
{
    public const string ServiceName = "invitation";

    public Task<InternalAnswer<ValidatedInvitation>> ValidateAsync(Guid orgId, string token, string phone, CancellationToken cancellationToken) =>
        InternalCalls.ReadAsync<ValidatedInvitation>(
            ServiceName,
            () => http.PostAsJsonAsync("/internal/invitations/validate", new { orgId, token, phone }, cancellationToken),
            cancellationToken);

    public Task<InternalAnswer<AcceptedInvitation>> AcceptAsync(Guid orgId, string token, string phone, Guid registrationId, CancellationToken cancellationToken) =>
        InternalCalls.ReadAsync<AcceptedInvitation>(
            ServiceName,
            () => http.PostAsJsonAsync("/internal/invitations/accept", new { orgId, token, phone, registrationId }, cancellationToken),
            cancellationToken);
}

public sealed record ValidatedInvitation(Guid InvitationId, DateTimeOffset ExpiresAt);

public sealed record AcceptedInvitation(Guid InvitationId, JsonElement Access, Guid InvitedBy);
