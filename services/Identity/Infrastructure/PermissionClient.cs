using System.Text.Json;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>The permission service's internal API, as identity uses it (docs/internal-api.md).</summary>
public sealed class PermissionClient(HttpClient http)
{
    public const string ServiceName = "permission";

    public Task<InternalAnswer<CreatedMember>> CreateMemberAsync(CreateMemberRequest request, CancellationToken cancellationToken) =>
        InternalCalls.ReadAsync<CreatedMember>(ServiceName, () => http.PostAsJsonAsync("/internal/members", request, cancellationToken), cancellationToken);

    /// <summary>The member's current state; null when permission does not know the member.</summary>
    public async Task<MemberState?> GetMemberAsync(Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var answer = await InternalCalls.ReadAsync<MemberState>(
            ServiceName, () => http.GetAsync($"/internal/orgs/{orgId}/members/{memberId}", cancellationToken), cancellationToken);
        return answer.Refusal is { } refusal && refusal.IsNotFound() ? null
            : answer.Value ?? throw new DependencyUnavailableException(ServiceName, $"member lookup refused ({answer.Refusal!.Code})");
    }

    public async Task<bool> IsAllowedAsync(Guid orgId, Guid memberId, string permission, CancellationToken cancellationToken)
    {
        var answer = await InternalCalls.ReadAsync<CheckAnswer>(
            ServiceName,
            () => http.PostAsJsonAsync("/internal/permissions/check", new CheckRequest(orgId, memberId, permission, null, null), cancellationToken),
            cancellationToken);
        return answer.Value?.Allowed ?? throw new DependencyUnavailableException(ServiceName, $"check refused ({answer.Refusal!.Code})");
    }

    /// <summary>The member with their resolved permissions; null when permission does not know the member.</summary>
    public async Task<EffectiveAccess?> GetEffectiveAccessAsync(Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var answer = await InternalCalls.ReadAsync<EffectiveAccess>(
            ServiceName, () => http.GetAsync($"/internal/orgs/{orgId}/members/{memberId}/effective-permissions", cancellationToken), cancellationToken);
        return answer.Refusal is { } refusal && refusal.IsNotFound() ? null
            : answer.Value ?? throw new DependencyUnavailableException(ServiceName, $"effective permissions refused ({answer.Refusal!.Code})");
    }
}

public sealed record CreateMemberRequest(
    Guid RegistrationId,
    Guid OrgId,
    string Username,
    string Phone,
    string Via,
    int AutoAdminCount,
    Guid? InvitationId,
    Guid? InvitedBy,
    JsonElement? Access);

public sealed record CreatedMember(Guid MemberId, string Status, bool IsAdmin, string Role, long Revision);

public sealed record MemberState(Guid MemberId, Guid OrgId, string Username, string Phone, string Status, bool IsAdmin, string Role);

public sealed record CheckRequest(Guid OrgId, Guid MemberId, string Permission, string? Action, IReadOnlyList<Guid>? GroupIds);

public sealed record CheckAnswer(bool Allowed, string Reason, long Revision, string Status, bool IsAdmin);

/// <summary><c>permissions</c> is permission's resolved set, passed to the member as it is.</summary>
public sealed record EffectiveAccess(Guid MemberId, string Status, bool IsAdmin, string Role, IReadOnlyList<Guid> GroupIds, JsonElement Permissions, long Revision);
