using System.Net.Http.Json;
using System.Text.Json;

namespace TeamPlatform.Internal;

/// <summary>The permission service's internal API (docs/internal-api.md), for every service that calls it.</summary>
public sealed class PermissionClient(HttpClient http)
{
    private const string ServiceName = ServiceNames.Permission;
    public const string AdminSettings = "admin_settings";

    public Task<InternalAnswer<RegisterMemberResponse>> CreateMemberAsync(RegisterMemberRequest request, CancellationToken cancellationToken) =>
        InternalCall.ReadAsync<RegisterMemberResponse>(
            ServiceName, () => http.PostAsJsonAsync("/internal/members", request, cancellationToken), cancellationToken);

    /// <summary>The member's current state; null when permission does not know the member.</summary>
    public async Task<MemberStatusResponse?> GetMemberAsync(Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var answer = await InternalCall.ReadAsync<MemberStatusResponse>(
            ServiceName, () => http.GetAsync($"/internal/orgs/{orgId}/members/{memberId}", cancellationToken), cancellationToken);
        return answer.Refusal is { IsNotFound: true } ? null : answer.ValueOrThrow(ServiceName, "member lookup");
    }

    /// <summary>The check's answer; null when permission does not know the member (who holds nothing).</summary>
    public async Task<PermissionCheckResponse?> CheckAsync(Guid orgId, Guid memberId, string permission, CancellationToken cancellationToken)
    {
        var answer = await InternalCall.ReadAsync<PermissionCheckResponse>(
            ServiceName,
            () => http.PostAsJsonAsync("/internal/permissions/check", new PermissionCheckRequest(orgId, memberId, permission), cancellationToken),
            cancellationToken);
        return answer.Refusal is { IsNotFound: true } ? null : answer.ValueOrThrow(ServiceName, "check");
    }

    /// <summary>Does the member hold <paramref name="permission"/> and is active?</summary>
    public async Task<bool> IsAllowedAsync(Guid orgId, Guid memberId, string permission, CancellationToken cancellationToken) =>
        (await CheckAsync(orgId, memberId, permission, cancellationToken))?.Allowed == true;

    /// <summary>The member with their resolved permissions; null when permission does not know the member.</summary>
    public async Task<EffectivePermissionsResponse?> GetEffectivePermissionsAsync(Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var answer = await InternalCall.ReadAsync<EffectivePermissionsResponse>(
            ServiceName,
            () => http.GetAsync($"/internal/orgs/{orgId}/members/{memberId}/effective-permissions", cancellationToken),
            cancellationToken);
        return answer.Refusal is { IsNotFound: true } ? null : answer.ValueOrThrow(ServiceName, "effective permissions");
    }

    /// <summary>The organisation's active admins.</summary>
    public async Task<IReadOnlyList<AdminContact>> AdminsAsync(Guid orgId, CancellationToken cancellationToken)
    {
        var answer = await InternalCall.ReadAsync<OrganisationAdminsResponse>(
            ServiceName, () => http.GetAsync($"/internal/orgs/{orgId}/admins", cancellationToken), cancellationToken);
        return answer.ValueOrThrow(ServiceName, "admins").Admins;
    }

    /// <summary>May the actor invite this phone with this access? Refusals (<c>forbidden</c>, <c>escalation</c>, …) are the caller's to pass on.</summary>
    public async Task<InternalAnswer<InvitationCheckResponse>> CheckInvitationAsync(
        Guid orgId, InvitationCheckRequest request, CancellationToken cancellationToken)
    {
        var answer = await InternalCall.ReadAsync<InvitationCheckResponse>(
            ServiceName,
            () => http.PostAsJsonAsync($"/internal/orgs/{orgId}/invitation-checks", request, cancellationToken),
            cancellationToken);
        return answer.Value is { } grant && (grant.Access.ValueKind != JsonValueKind.Object || string.IsNullOrEmpty(grant.InviterUsername))
            ? throw new DependencyUnavailableException(ServiceName, "invitation check answered without an access document or inviter")
            : answer;
    }

    /// <summary>
    /// The invitation check for every row of a bulk upload in one call. A refusal of the whole batch (<c>forbidden</c>) is
    /// the caller's to pass on; an answer with another number of rows than asked is no answer.
    /// </summary>
    public async Task<InternalAnswer<InvitationBatchCheckResponse>> CheckInvitationsAsync(
        Guid orgId, InvitationBatchCheckRequest request, CancellationToken cancellationToken)
    {
        var answer = await InternalCall.ReadAsync<InvitationBatchCheckResponse>(
            ServiceName,
            () => http.PostAsJsonAsync($"/internal/orgs/{orgId}/invitation-checks/batch", request, cancellationToken),
            cancellationToken);
        return answer.Value is { } checks && (checks.Rows?.Count != request.Rows?.Count || string.IsNullOrEmpty(checks.InviterUsername))
            ? throw new DependencyUnavailableException(ServiceName, "invitation batch check answered another number of rows or no inviter")
            : answer;
    }
}
