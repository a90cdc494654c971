using System.Text;
using TeamPlatform.Console.Infrastructure.Gateway;
using TeamPlatform.Console.Infrastructure.Sessions;

namespace TeamPlatform.Console.Infrastructure.Api;

/// <summary>
/// The routes a signed-in member calls, with the member's access token: the API's rules are the console's rules, and
/// a refusal comes back as the API gave it. A token the API no longer accepts is refreshed once; if identity refuses
/// that too, the session is over and the page signs out.
/// </summary>
public sealed class MemberApi(GatewayClient gateway, MemberSessions sessions, ConsoleCircuit circuit)
{
    // Profile and organisation (identity)
    /// <summary>
    /// Who the member is now. A member blocked or removed meanwhile may still hold a token the gateway has not yet
    /// heard is revoked: their own status says so first, and their session here ends with it.
    /// </summary>
    public async Task<ApiResult<Me>> MeAsync()
    {
        var me = await GetAsync<Me>("/api/me");
        if (me.Succeeded && me.Value.Status != MemberStatus.Active && circuit.SessionId is { } sessionId)
        {
            await sessions.EndAsync(sessionId, circuit.Browser, CancellationToken.None);
            return Ended<Me>();
        }

        return me;
    }

    public Task<ApiResult<Me>> RenameMeAsync(string username) => SendAsync<Me>(HttpMethod.Patch, "/api/me", new { username });

    public Task<ApiResult<Done>> ChangePasswordAsync(string currentPassword, string newPassword) =>
        SendAsync<Done>(HttpMethod.Post, "/api/me/password", new { currentPassword, newPassword });

    public Task<ApiResult<ListPage<Session>>> SessionsAsync() => GetAsync<ListPage<Session>>("/api/me/sessions?pageSize=200");

    public Task<ApiResult<Done>> EndSessionAsync(Guid sessionId) => SendAsync<Done>(HttpMethod.Delete, $"/api/me/sessions/{sessionId}", null);

    public Task<ApiResult<Organisation>> OrganisationAsync() => GetAsync<Organisation>("/api/org");

    public Task<ApiResult<Organisation>> UpdateOrganisationAsync(object change) => SendAsync<Organisation>(HttpMethod.Patch, "/api/org", change);

    // Team (permission)
    public Task<ApiResult<ListPage<Member>>> MembersAsync(MemberQuery query) => GetAsync<ListPage<Member>>(query.ToPath());

    public Task<ApiResult<MemberSummary>> MemberSummaryAsync() => GetAsync<MemberSummary>("/api/members/summary");

    public Task<ApiResult<Member>> MemberAsync(Guid id) => GetAsync<Member>($"/api/members/{id}");

    public Task<ApiResult<AccessChanged>> ChangeAccessAsync(Guid id, AccessDocument access) =>
        SendAsync<AccessChanged>(HttpMethod.Put, $"/api/members/{id}/access", access);

    /// <summary>What <see cref="ChangeAccessAsync"/> would gain, lose or be refused with; nothing is saved.</summary>
    public Task<ApiResult<AccessPreview>> PreviewAccessAsync(Guid id, AccessDocument access) =>
        SendAsync<AccessPreview>(HttpMethod.Post, $"/api/members/{id}/access/preview", access);

    /// <summary>Sets the member's group-scoped permissions on one group, merged by the API into their access.</summary>
    public Task<ApiResult<AccessChanged>> ChangeGroupAccessAsync(Guid id, Guid groupId, IReadOnlyCollection<string> permissions) =>
        SendAsync<AccessChanged>(HttpMethod.Put, $"/api/members/{id}/access/groups/{groupId}", new { permissions });

    /// <summary>What <see cref="ChangeGroupAccessAsync"/> would gain, lose or be refused with; nothing is saved.</summary>
    public Task<ApiResult<AccessPreview>> PreviewGroupAccessAsync(Guid id, Guid groupId, IReadOnlyCollection<string> permissions) =>
        SendAsync<AccessPreview>(HttpMethod.Post, $"/api/members/{id}/access/groups/{groupId}/preview", new { permissions });

    public Task<ApiResult<Done>> RemoveMemberAsync(Guid id) => SendAsync<Done>(HttpMethod.Delete, $"/api/members/{id}", null);

    public Task<ApiResult<ListPage<Role>>> RolesAsync() => GetAsync<ListPage<Role>>("/api/roles");

    /// <summary>The first groups by name with a word starting with the text (every group when it is empty).</summary>
    public Task<ApiResult<ListPage<Group>>> GroupsStartingWithAsync(string text, int count) =>
        GetAsync<ListPage<Group>>($"/api/groups?pageSize={count}&q={Uri.EscapeDataString(text)}");

    /// <summary>The named groups that still exist (at most 100 ids).</summary>
    public Task<ApiResult<ListPage<Group>>> GroupsNamedAsync(IReadOnlyCollection<Guid> ids) =>
        GetAsync<ListPage<Group>>($"/api/groups?pageSize=100&{string.Join('&', ids.Select(id => $"ids={id}"))}");

    public Task<ApiResult<Group>> CreateGroupAsync(string name) => SendAsync<Group>(HttpMethod.Post, "/api/groups", new { name });

    public Task<ApiResult<Group>> RenameGroupAsync(Guid id, string name) => SendAsync<Group>(HttpMethod.Patch, $"/api/groups/{id}", new { name });

    public Task<ApiResult<Done>> DeleteGroupAsync(Guid id) => SendAsync<Done>(HttpMethod.Delete, $"/api/groups/{id}", null);

    public Task<ApiResult<ListPage<AuditEntry>>> AuditAsync(int page, int pageSize) => GetAsync<ListPage<AuditEntry>>($"/api/audit?page={page}&pageSize={pageSize}");

    /// <summary>Whether the audit is as it was written: its chain recomputed by the API.</summary>
    public Task<ApiResult<AuditVerification>> VerifyAuditAsync() => GetAsync<AuditVerification>("/api/audit/verify");

    // Invitations (invitation)
    public Task<ApiResult<ListPage<Invitation>>> InvitationsAsync(string status, int page, int pageSize) =>
        GetAsync<ListPage<Invitation>>($"/api/invitations?status={status}&page={page}&pageSize={pageSize}");

    public Task<ApiResult<Invitation>> InviteAsync(string phone, string? email, AccessDocument access) =>
        SendAsync<Invitation>(HttpMethod.Post, "/api/invitations", new { phone, email, access });

    public Task<ApiResult<InvitationLink>> InvitationLinkAsync(Guid id) => GetAsync<InvitationLink>($"/api/invitations/{id}/link");

    public Task<ApiResult<Done>> ResendInvitationAsync(Guid id) => SendAsync<Done>(HttpMethod.Post, $"/api/invitations/{id}/resend", null);

    public Task<ApiResult<Invitation>> RenewInvitationAsync(Guid id) => SendAsync<Invitation>(HttpMethod.Post, $"/api/invitations/{id}/renew", null);

    public Task<ApiResult<Invitation>> RevokeInvitationAsync(Guid id) => SendAsync<Invitation>(HttpMethod.Delete, $"/api/invitations/{id}", null);

    /// <summary>What an upload would do, row by row; nothing is written or sent.</summary>
    public Task<ApiResult<BulkCheck>> CheckBulkInvitationsAsync(string csv, bool replace) =>
        SendUploadAsync<BulkCheck>($"/api/invitations/bulk?dryRun=true&replace={Flag(replace)}", csv, idempotencyKey: null);

    /// <summary>
    /// Sends an upload's invitations. The key names this upload: sent again (a retry after a lost answer), it answers
    /// the same bulk invitation and sends nothing twice.
    /// </summary>
    public Task<ApiResult<BulkInvitation>> SendBulkInvitationsAsync(string csv, bool replace, string idempotencyKey) =>
        SendUploadAsync<BulkInvitation>($"/api/invitations/bulk?replace={Flag(replace)}", csv, idempotencyKey);

    public Task<ApiResult<BulkInvitation>> BulkInvitationAsync(Guid id) => GetAsync<BulkInvitation>($"/api/invitations/bulk/{id}");

    // Delivery log (notification)
    public Task<ApiResult<ListPage<Delivery>>> DeliveriesAsync(int page, int pageSize) => GetAsync<ListPage<Delivery>>($"/api/notifications?page={page}&pageSize={pageSize}");

    // Webhooks (notification)
    public Task<ApiResult<WebhookEventTypes>> WebhookEventTypesAsync() => GetAsync<WebhookEventTypes>("/api/webhooks/event-types");

    public Task<ApiResult<WebhookList>> WebhooksAsync() => GetAsync<WebhookList>("/api/webhooks");

    public Task<ApiResult<Webhook>> WebhookAsync(Guid id) => GetAsync<Webhook>($"/api/webhooks/{id}");

    public Task<ApiResult<RegisteredWebhook>> AddWebhookAsync(string url, IReadOnlyCollection<string> eventTypes, string? description) =>
        SendAsync<RegisteredWebhook>(HttpMethod.Post, "/api/webhooks", new { url, eventTypes, description });

    /// <summary>Changes an endpoint; <paramref name="enabled"/> turns it off or back on.</summary>
    public Task<ApiResult<Webhook>> ChangeWebhookAsync(Guid id, string url, IReadOnlyCollection<string> eventTypes, string? description, bool enabled) =>
        SendAsync<Webhook>(HttpMethod.Put, $"/api/webhooks/{id}", new { url, eventTypes, description, enabled });

    public Task<ApiResult<Done>> DeleteWebhookAsync(Guid id) => SendAsync<Done>(HttpMethod.Delete, $"/api/webhooks/{id}", null);

    public Task<ApiResult<RotatedWebhookSecret>> RotateWebhookSecretAsync(Guid id) =>
        SendAsync<RotatedWebhookSecret>(HttpMethod.Post, $"/api/webhooks/{id}/rotate", null);

    /// <summary>An endpoint's deliveries, newest first; <paramref name="status"/> null for every status.</summary>
    public Task<ApiResult<ListPage<WebhookDelivery>>> WebhookDeliveriesAsync(Guid id, string? status, int page, int pageSize) =>
        GetAsync<ListPage<WebhookDelivery>>(
            $"/api/webhooks/{id}/deliveries?page={page}&pageSize={pageSize}{(status is null ? "" : $"&status={Uri.EscapeDataString(status)}")}");

    public Task<ApiResult<Done>> ReplayWebhookDeliveryAsync(Guid id, Guid deliveryId) =>
        SendAsync<Done>(HttpMethod.Post, $"/api/webhooks/{id}/deliveries/{deliveryId}/replay", null);

    /// <summary>Sends again every delivery created at or after <paramref name="since"/> (within the days payloads are kept).</summary>
    public Task<ApiResult<WebhookReplay>> ReplayWebhookSinceAsync(Guid id, DateTimeOffset since) =>
        SendAsync<WebhookReplay>(HttpMethod.Post, $"/api/webhooks/{id}/replay", new { since });

    private Task<ApiResult<T>> GetAsync<T>(string path) => SendAsync<T>(HttpMethod.Get, path, null);

    private Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body) =>
        SendAsync<T>(token => gateway.SendJsonAsync<T>(method, path, body, circuit.Browser, token, CancellationToken.None));

    private Task<ApiResult<T>> SendUploadAsync<T>(string path, string csv, string? idempotencyKey)
    {
        var headers = idempotencyKey is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey };
        // A body is read once: a retry after a refreshed token needs a new one.
        return SendAsync<T>(token => gateway.SendContentAsync<T>(
            HttpMethod.Post, path, new StringContent(csv, Encoding.UTF8, "text/csv"), headers, circuit.Browser, token, CancellationToken.None));
    }

    private static string Flag(bool on) => on ? "true" : "false";

    private async Task<ApiResult<T>> SendAsync<T>(Func<string, Task<ApiResult<T>>> send)
    {
        if (circuit.SessionId is not { } sessionId)
        {
            return Ended<T>();
        }

        string? rejected = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var token = await sessions.AccessTokenAsync(sessionId, circuit.Browser, rejected, CancellationToken.None);
            if (!token.Succeeded)
            {
                return token.Error.Code == ApiError.Unauthenticated ? Ended<T>() : token.Error;
            }

            var answer = await send(token.Value);
            if (answer.Error?.Status != StatusCodes.Status401Unauthorized)
            {
                return answer;
            }

            rejected = token.Value;
        }

        return Ended<T>();
    }

    private ApiResult<T> Ended<T>()
    {
        circuit.SessionEnded();
        return ApiError.SessionEnded;
    }
}

/// <summary>
/// The team list's filters, as <c>GET /api/members</c> takes them; <see cref="After"/>, when given, is the cursor of the
/// page wanted and replaces its number.
/// </summary>
public sealed record MemberQuery(
    string? Status = null, string? Role = null, Guid? GroupId = null, string? Search = null, int Page = 1, int PageSize = 25, string? After = null)
{
    /// <summary>How far a search pages by number; past it, a page is reached by the cursor of the page before.</summary>
    public const int SearchPagedByNumber = 1_000;

    public bool IsSearch => !string.IsNullOrWhiteSpace(Search);

    public string ToPath()
    {
        var path = new StringBuilder(After is null ? $"/api/members?page={Page}&pageSize={PageSize}" : $"/api/members?pageSize={PageSize}");
        Append(path, "after", After);
        Append(path, "status", Status);
        Append(path, "role", Role);
        Append(path, "groupId", GroupId?.ToString());
        Append(path, "q", string.IsNullOrWhiteSpace(Search) ? null : Search.Trim());
        return path.ToString();
    }

    private static void Append(StringBuilder path, string name, string? value)
    {
        if (value is not null)
        {
            path.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
    }
}
