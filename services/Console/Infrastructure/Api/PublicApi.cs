using TeamPlatform.Console.Infrastructure.Gateway;

namespace TeamPlatform.Console.Infrastructure.Api;

/// <summary>The anonymous routes: creating and joining organisations, one-time codes, password resets, invitation previews.</summary>
public sealed class PublicApi(GatewayClient gateway, ConsoleCircuit circuit)
{
    public Task<ApiResult<RegistrationStarted>> CreateOrganisationAsync(string name, string slug, string username, string phone, string password) =>
        PostAsync<RegistrationStarted>("/api/orgs", new { name, slug, username, phone, password });

    public Task<ApiResult<RegistrationStarted>> RegisterAsync(string slug, string username, string phone, string password, string? invitationToken) =>
        PostAsync<RegistrationStarted>($"/api/orgs/{Uri.EscapeDataString(slug)}/registrations", new { username, phone, password, invitationToken });

    public Task<ApiResult<VerifiedMember>> VerifyAsync(Guid registrationId, string code) =>
        PostAsync<VerifiedMember>($"/api/registrations/{registrationId}/verify", new { code });

    public Task<ApiResult<CodeResent>> ResendAsync(Guid registrationId) =>
        PostAsync<CodeResent>($"/api/registrations/{registrationId}/resend", null);

    public Task<ApiResult<PasswordResetStarted>> StartPasswordResetAsync(string slug, string phone) =>
        PostAsync<PasswordResetStarted>($"/api/orgs/{Uri.EscapeDataString(slug)}/password-resets", new { phone });

    public Task<ApiResult<Done>> CompletePasswordResetAsync(Guid resetId, string code, string newPassword) =>
        PostAsync<Done>($"/api/password-resets/{resetId}/complete", new { code, newPassword });

    public Task<ApiResult<InvitationPreview>> PreviewInvitationAsync(string token) =>
        gateway.GetAsync<InvitationPreview>($"/api/invitations/preview/{Uri.EscapeDataString(token)}", circuit.Browser, accessToken: null, CancellationToken.None);

    private Task<ApiResult<T>> PostAsync<T>(string path, object? body) =>
        gateway.SendJsonAsync<T>(HttpMethod.Post, path, body, circuit.Browser, accessToken: null, CancellationToken.None);
}
