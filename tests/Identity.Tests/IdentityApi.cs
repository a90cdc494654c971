using Microsoft.IdentityModel.JsonWebTokens;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

public sealed record TestOrg(Guid Id, string Slug, TestMember Creator);

public sealed record TestMember(Guid Id, string Phone, string Password, string Status, bool IsAdmin);

public sealed record Tokens(string AccessToken, string? RefreshToken, JsonElement Raw)
{
    public JsonWebToken Access => new(AccessToken);
}

/// <summary>What a client of identity does, step by step, for tests to compose.</summary>
public static class IdentityApi
{
    public const string Password = "correct horse battery";

    public static string NewSlug() => "org-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static async Task<TestOrg> CreateOrganisationAsync(this IdentityHost host, string? slug = null)
    {
        slug ??= NewSlug();
        var phone = TestPhones.New();
        var client = host.CreateClient();
        var started = await client.PostAsJsonAsync("/api/orgs", new { name = "Hope Chapel", slug, username = "founder", phone, password = Password });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var registrationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registrationId").GetGuid();
        var code = await host.CodeFor(phone);
        var verified = await client.PostAsJsonAsync($"/api/registrations/{registrationId}/verify", new { code = code.Code });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var member = await verified.Content.ReadFromJsonAsync<JsonElement>();
        var orgId = await host.InDatabase(db => db.Organisations.Where(o => o.Slug == slug).Select(o => o.Id).SingleAsync());
        return new TestOrg(orgId, slug, new TestMember(member.GetProperty("memberId").GetGuid(), phone, Password, "active", true));
    }

    public static Task<HttpResponseMessage> StartRegistrationAsync(this IdentityHost host, string slug, string phone, string? invitationToken = null) =>
        host.CreateClient().PostAsJsonAsync($"/api/orgs/{slug}/registrations", new { username = "staffer", phone, password = Password, invitationToken });

    public static Task<HttpResponseMessage> VerifyAsync(this IdentityHost host, Guid registrationId, string code) =>
        host.CreateClient().PostAsJsonAsync($"/api/registrations/{registrationId}/verify", new { code });

    /// <summary>Registers and verifies a new phone; the fake permission decides admin or pending.</summary>
    public static async Task<TestMember> JoinAsync(this IdentityHost host, string slug, string? phone = null)
    {
        phone ??= TestPhones.New();
        var nth = host.Codes.Count(c => c.Phone == phone) + 1;
        var started = await host.StartRegistrationAsync(slug, phone);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var registrationId = await IdOf(started, "registrationId");
        var verified = await host.VerifyAsync(registrationId, (await host.CodeFor(phone, nth)).Code);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var member = await verified.Content.ReadFromJsonAsync<JsonElement>();
        return new TestMember(
            member.GetProperty("memberId").GetGuid(), phone, Password, member.GetProperty("status").GetString()!, member.GetProperty("isAdmin").GetBoolean());
    }

    public static Task<HttpResponseMessage> RequestTokenAsync(this IdentityHost host, Dictionary<string, string> form) =>
        host.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(form));

    public static Task<HttpResponseMessage> PasswordGrantAsync(this IdentityHost host, string slug, string phone, string password) =>
        host.RequestTokenAsync(new() { ["grant_type"] = "password", ["username"] = phone, ["password"] = password, ["org"] = slug });

    public static async Task<Tokens> LoginAsync(this IdentityHost host, string slug, TestMember member)
    {
        var response = await host.PasswordGrantAsync(slug, member.Phone, member.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TokensOf(response);
    }

    public static async Task<HttpResponseMessage> RefreshAsync(this IdentityHost host, string refreshToken) =>
        await host.RequestTokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    public static async Task<Tokens> TokensOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Tokens(
            body.GetProperty("access_token").GetString()!,
            body.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            body);
    }

    /// <summary>The OAuth2 refusal: (error, error_description).</summary>
    public static async Task<(string Error, string? Description)> OAuthErrorOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("error").GetString()!, body.TryGetProperty("error_description", out var d) ? d.GetString() : null);
    }

    public static HttpClient ClientWith(this IdentityHost host, Tokens tokens)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    public static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("code").GetString();
    }

    public static async Task<Guid> IdOf(HttpResponseMessage response, string property) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty(property).GetGuid();
}
