namespace TeamPlatform.Notifications.Infrastructure;

/// <summary>The permission service's <c>POST /internal/permissions/check</c> (docs/internal-api.md).</summary>
public sealed class PermissionClient(HttpClient http)
{
    public const string AdminSettings = "admin_settings";

    public async Task<PermissionAnswer> CheckAsync(Guid orgId, Guid memberId, string permission, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            "/internal/permissions/check",
            new PermissionCheck(orgId, memberId, permission, null, null),
            cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<PermissionAnswer>(cancellationToken)
            ?? throw new HttpRequestException("The permission service answered an empty body.");
    }

    private sealed record PermissionCheck(Guid OrgId, Guid MemberId, string Permission, string? Action, IReadOnlyList<Guid>? GroupIds);
}

public sealed record PermissionAnswer(bool Allowed, string Reason, long Revision, string? Status, bool IsAdmin);
