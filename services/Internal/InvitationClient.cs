using System.Net.Http.Json;

namespace TeamPlatform.Internal;

/// <summary>The invitation service's internal API (docs/internal-api.md), for every service that calls it.</summary>
public sealed class InvitationClient(HttpClient http)
{
    private const string ServiceName = ServiceNames.Invitation;

    public Task<InternalAnswer<ValidateInvitationResponse>> ValidateAsync(Guid orgId, string token, string phone, CancellationToken cancellationToken) =>
        InternalCall.ReadAsync<ValidateInvitationResponse>(
            ServiceName,
            () => http.PostAsJsonAsync("/internal/invitations/validate", new ValidateInvitationRequest(orgId, token, phone), cancellationToken),
            cancellationToken);

    public Task<InternalAnswer<AcceptInvitationResponse>> AcceptAsync(
        Guid orgId, string token, string phone, Guid registrationId, CancellationToken cancellationToken) =>
        InternalCall.ReadAsync<AcceptInvitationResponse>(
            ServiceName,
            () => http.PostAsJsonAsync(
                "/internal/invitations/accept", new AcceptInvitationRequest(orgId, token, phone, registrationId), cancellationToken),
            cancellationToken);
}
