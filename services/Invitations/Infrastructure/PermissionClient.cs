using System.Net;
using System.Text.Json;
using Polly;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Invitations.Infrastructure;

/// <summary>A refusal of the permission service, passed on to our caller with its status and code unchanged.</summary>
public sealed record PermissionRefusal(int Status, string Code, string Detail);

/// <summary>The inviter may preset this access; permission answers it normalised, with the inviter's username.</summary>
public sealed record InvitationGrant(string InviterUsername, JsonElement Access);

/// <summary>The permission service could not answer (down, timing out, or answering what the contract does not allow).</summary>
public sealed class PermissionUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The permission service's internal API (docs/internal-api.md), as this service uses it.</summary>
public sealed class PermissionClient(HttpClient http)
{
    public const string AdminSettings = "admin_settings";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>May <paramref name="actorId"/> invite <paramref name="phone"/> with <paramref name="access"/>?</summary>
    public async Task<(InvitationGrant? Grant, PermissionRefusal? Refusal)> CheckInvitationAsync(
        Guid orgId, Guid actorId, string phone, JsonElement access, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            $"/internal/orgs/{orgId}/invitation-checks", new InvitationCheckRequest(actorId, phone, access), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var grant = await ReadAsync<InvitationGrant>(response, cancellationToken);
            return grant.Access.ValueKind == JsonValueKind.Object && !string.IsNullOrEmpty(grant.InviterUsername)
                ? (grant, null)
                : throw new PermissionUnavailableException("The invitation check answered without an access document or inviter.");
        }

        return (null, await RefusalAsync(response, cancellationToken));
    }

    /// <summary>Does the member hold <paramref name="permission"/> (and is active)?</summary>
    public async Task<bool> HoldsAsync(Guid orgId, Guid memberId, string permission, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            "/internal/permissions/check", new CheckRequest(orgId, memberId, permission), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (await ReadAsync<CheckResponse>(response, cancellationToken)).Allowed;
        }

        // A member permission does not know holds nothing; anything else is not an answer.
        _ = await RefusalAsync(response, cancellationToken);
        return false;
    }

    private async Task<HttpResponseMessage> SendAsync<T>(string path, T body, CancellationToken cancellationToken)
    {
        try
        {
            return await http.PostAsJsonAsync(path, body, Json, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or ExecutionRejectedException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new PermissionUnavailableException("The permission service did not answer.", exception);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new PermissionUnavailableException("The permission service answered an empty body.");
        }
        catch (JsonException exception)
        {
            throw new PermissionUnavailableException("The permission service answered unreadable JSON.", exception);
        }
    }

    private static async Task<PermissionRefusal> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Conflict))
        {
            throw new PermissionUnavailableException($"The permission service answered {status}.");
        }

        string? code = null;
        string? detail = null;
        try
        {
            using var problem = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                code = problem.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                detail = problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // A refusal without a readable body still has its status.
        }

        return new PermissionRefusal(status, code ?? ErrorCodes.ForStatus(status), detail ?? "The permission service refused this.");
    }

    private sealed record InvitationCheckRequest(Guid ActorId, string Phone, JsonElement Access);

    private sealed record CheckRequest(Guid OrgId, Guid MemberId, string Permission);

    private sealed record CheckResponse(bool Allowed, string? Reason);
}
