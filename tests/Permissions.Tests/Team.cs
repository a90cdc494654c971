using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests;

/// <summary>An organisation built through the internal API as identity would: the creator first, then whoever the test needs.</summary>
public sealed class Team
{
    private readonly PermissionHost _host;

    private Team(PermissionHost host, Guid orgId, Guid adminId)
    {
        _host = host;
        OrgId = orgId;
        AdminId = adminId;
    }

    public Guid OrgId { get; }

    /// <summary>The creator: admin #1.</summary>
    public Guid AdminId { get; }

    public HttpClient Admin => As(AdminId);

    public static async Task<Team> CreateAsync(PermissionHost host, int autoAdminCount = 2)
    {
        var orgId = Guid.NewGuid();
        var creator = await RegisterAsync(host, orgId, "organisation_creation", autoAdminCount: autoAdminCount);
        return new Team(host, orgId, creator.GetProperty("memberId").GetGuid());
    }

    public HttpClient As(Guid memberId) => _host.ClientFor(OrgId, memberId);

    /// <summary><c>POST /internal/members</c>; returns the response body.</summary>
    public Task<JsonElement> RegisterAsync(
        string via = "registration", object? access = null, string? phone = null, int? autoAdminCount = null, string? username = null) =>
        RegisterAsync(_host, OrgId, via, access, phone, autoAdminCount, username);

    /// <summary>A member invited with <paramref name="access"/>: active at once with exactly that access.</summary>
    public async Task<Guid> MemberAsync(object access, string? phone = null, string? username = null) =>
        (await RegisterAsync("invitation", access, phone, username: username)).GetProperty("memberId").GetGuid();

    public async Task<Guid> GroupAsync(string? name = null)
    {
        var response = await Admin.PostAsJsonAsync("/api/groups", new { name = name ?? $"group {Guid.NewGuid():N}" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> MemberViewAsync(Guid memberId) =>
        await (await Admin.GetAsync($"/api/members/{memberId}")).Json();

    public static async Task<JsonElement> RegisterAsync(
        PermissionHost host, Guid orgId, string via, object? access = null, string? phone = null, int? autoAdminCount = null, string? username = null)
    {
        using var client = host.InternalClient("identity");
        var response = await client.PostAsJsonAsync("/internal/members", new RegisterMemberRequest(
            RegistrationId: Guid.NewGuid(),
            orgId,
            Username: username ?? $"member-{Guid.NewGuid():N}"[..16],
            Phone: phone ?? TestPhones.New(),
            via,
            autoAdminCount,
            InvitationId: via == RegistrationRoutes.Invitation ? Guid.NewGuid() : null,
            InvitedBy: null,
            Access: access is null ? null : JsonSerializer.SerializeToElement(access, JsonSerializerOptions.Web)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }
}

public static class HttpExtensions
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The problem's <c>code</c>, after checking the status.</summary>
    public static async Task<string?> Problem(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Json();
        return body.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    /// <summary><c>POST /api/permissions/check</c>, expecting an answer.</summary>
    public static async Task<JsonElement> CheckAsync(this HttpClient client, object check)
    {
        var response = await client.PostAsJsonAsync("/api/permissions/check", check);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string uri, string json) =>
        client.PutAsync(uri, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string uri, string json) =>
        client.PostAsync(uri, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
}
