using System.Net;
using System.Net.Http.Json;
using TeamPlatform.Testing.OpenApi;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>Identity's OpenAPI document, read as a client reads it, and real answers checked against it.</summary>
[Collection(nameof(IdentityCollection))]
public sealed class OpenApiDocumentTests(IdentityFixture fixture)
{
    private static readonly string[] TokenPaths = ["/connect/token", "/connect/revoke", "/.well-known/openid-configuration", "/.well-known/jwks"];

    private readonly IdentityHost _host = fixture.Host;

    private Task<ApiDocument> DocumentAsync() => ApiDocument.ReadAsync(_host);

    [Fact]
    public async Task Registration_is_anonymous_the_rest_needs_a_token_and_every_error_is_an_open_problem()
    {
        var api = await DocumentAsync();

        DocumentChecks.AssertProblemSchemaIsOpen(api);
        DocumentChecks.AssertSecuritySchemes(api);
        DocumentChecks.AssertOperationsDescribeTheirErrors(
            api,
            anonymous: new HashSet<string>
            {
                "POST /api/orgs", "POST /api/orgs/{slug}/registrations", "POST /api/registrations/{id}/verify",
                "POST /api/registrations/{id}/resend", "POST /api/orgs/{slug}/password-resets", "POST /api/password-resets/{resetId}/complete",
            },
            exceptPaths: TokenPaths);
        Assert.Contains("`slug_taken`", api.Operation(HttpMethod.Post, "/api/orgs").Responses!["409"].Description, StringComparison.Ordinal);
        Assert.Contains("`registration_closed`", api.Operation(HttpMethod.Post, "/api/orgs/{slug}/registrations").Responses!["403"].Description, StringComparison.Ordinal);
        Assert.Contains("410", api.Operation(HttpMethod.Post, "/api/orgs/{slug}/registrations").Responses!.Keys);
        Assert.Contains("429", api.Operation(HttpMethod.Post, "/api/me/password").Responses!.Keys);
    }

    [Fact]
    public async Task The_routes_every_client_calls_first_are_described()
    {
        var api = await DocumentAsync();

        var token = api.Operation(HttpMethod.Post, "/connect/token");
        var grants = token.RequestBody!.Content!["application/x-www-form-urlencoded"].Schema!.OneOf!;
        Assert.Equal(["password", "refresh_token", "client_credentials"], grants.Select(g => g.Properties!["grant_type"].Const));
        Assert.Equal(["grant_type", "org", "password", "username"], grants[0].Required!.Order(StringComparer.Ordinal));
        Assert.Equal(["200", "400", "401", "413", "429", "503"], token.Responses!.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("access_token", token.Responses["200"].Content!["application/json"].Schema!.Required!);
        Assert.Contains("error", token.Responses["400"].Content!["application/json"].Schema!.Required!);
        Assert.Contains("token", api.Operation(HttpMethod.Post, "/connect/revoke").RequestBody!.Content!["application/x-www-form-urlencoded"].Schema!.Required!);
        Assert.Contains("200", api.Operation(HttpMethod.Get, "/.well-known/openid-configuration").Responses!.Keys);
        Assert.Contains("200", api.Operation(HttpMethod.Get, "/.well-known/jwks").Responses!.Keys);
        Assert.All(TokenPaths, path => Assert.True(api.Document.Paths[path].Operations!.Values.All(o => o.Security is null)));
    }

    [Fact]
    public async Task A_revocation_and_a_token_request_past_the_body_limit_are_answered_as_documented()
    {
        var api = await DocumentAsync();
        using var client = _host.CreateClient();

        var revoked = await client.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "not-a-token" }));
        var oversized = await client.PostAsync("/connect/token", new StringContent(
            "grant_type=password&password=" + new string('p', 70 * 1024), System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Empty(await api.ConformanceErrorsAsync(HttpMethod.Post, "/connect/revoke", revoked));
        Assert.Empty(await api.ConformanceErrorsAsync(HttpMethod.Post, "/connect/token", oversized));
        Assert.Contains("413", api.Operation(HttpMethod.Post, "/connect/revoke").Responses!.Keys);
    }

    [Fact]
    public async Task A_partial_update_requires_no_member()
    {
        var api = await DocumentAsync();

        foreach (var path in new[] { "/api/org", "/api/me" })
        {
            var body = api.Operation(HttpMethod.Patch, path).RequestBody!.Content!["application/json"].Schema!;
            Assert.True(body.Required is null or { Count: 0 }, $"PATCH {path} requires {string.Join(", ", body.Required ?? new HashSet<string>())}.");
            Assert.NotEmpty(body.Properties!);
        }

        var settings = api.Document.Components!.Schemas!["SettingsChange"];
        Assert.True(settings.Required is null or { Count: 0 });
    }

    [Fact]
    public async Task Real_answers_match_the_document()
    {
        var api = await DocumentAsync();
        using var client = _host.CreateClient();
        var slug = $"doc-{Guid.NewGuid():N}"[..20];

        var answers = new (HttpMethod Method, string Path, HttpResponseMessage Response)[]
        {
            (HttpMethod.Get, "/api/me", await client.GetAsync("/api/me")),
            (HttpMethod.Post, "/api/orgs", await client.PostAsJsonAsync("/api/orgs", new { name = "Hope", slug, username = "amina", phone = "not a phone", password = "correct horse battery" })),
            (HttpMethod.Post, "/api/orgs", await client.PostAsync("/api/orgs", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))),
            (HttpMethod.Post, "/api/orgs/{slug}/registrations", await client.PostAsJsonAsync($"/api/orgs/{slug}/registrations", new { username = "zawadi", phone = "+254711234567", password = "correct horse battery" })),
            (HttpMethod.Post, "/api/registrations/{id}/verify", await client.PostAsJsonAsync($"/api/registrations/{Guid.NewGuid()}/verify", new { code = "123456" })),
            (HttpMethod.Post, "/connect/token", await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = "+254711234567", ["password"] = "wrong password", ["org"] = slug,
            }))),
            (HttpMethod.Get, "/.well-known/openid-configuration", await client.GetAsync("/.well-known/openid-configuration")),
            (HttpMethod.Get, "/.well-known/jwks", await client.GetAsync("/.well-known/jwks")),
        };

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.NotFound,
                HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.OK],
            answers.Select(a => a.Response.StatusCode));
        foreach (var (method, path, response) in answers)
        {
            Assert.Empty(await api.ConformanceErrorsAsync(method, path, response));
        }
    }
}
