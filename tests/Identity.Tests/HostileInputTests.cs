using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>
/// Requests as an attacker or a fuzzer makes them: text PostgreSQL cannot hold, bodies that do not fit, methods and media
/// types a route does not take. Each is a problem with its code, in the API's words, and writes nothing.
/// </summary>
[Collection(nameof(IdentityCollection))]
public sealed class HostileInputTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    public static TheoryData<string, string> UnstorableNames() => new()
    {
        { "NUL", "\"Hope\\u0000Chapel\"" },
        { "an unpaired high surrogate", "\"Hope\\ud800\"" },
        { "an unpaired low surrogate", "\"\\udc00Hope\"" },
    };

    [Theory]
    [MemberData(nameof(UnstorableNames))]
    public async Task An_organisation_name_that_cannot_be_stored_is_refused_naming_it(string why, string name)
    {
        var before = await Host.CountAsync<Registration>();

        var response = await PostJsonAsync(Host.CreateClient(), "/api/orgs", OrganisationBody(name: name));

        var detail = await ValidationProblems.DetailOfAsync(response, why);
        Assert.StartsWith("'name' ", detail, StringComparison.Ordinal);
        Assert.Equal(before, await Host.CountAsync<Registration>());
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_refused_naming_the_member()
    {
        var body = Encoding.UTF8.GetBytes(OrganisationBody(username: "\"amina~\""));
        body[Array.IndexOf(body, (byte)'~')] = 0xC3; // a lead byte followed by a quote: no UTF-8 character
        var before = await Host.CountAsync<Registration>();

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await Host.CreateClient().PostAsync("/api/orgs", content);

        Assert.Equal("'username' is not valid UTF-8 text.", await ValidationProblems.DetailOfAsync(response, "invalid UTF-8"));
        Assert.Equal(before, await Host.CountAsync<Registration>());
    }

    [Fact]
    public async Task A_nul_in_the_organisations_new_name_is_refused_and_changes_nothing()
    {
        var org = await Host.CreateOrganisationAsync();
        var admin = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        var before = await admin.GetStringAsync("/api/org");

        var response = await PostJsonAsync(admin, "/api/org", """{"name": "Hope\u0000"}""", HttpMethod.Patch);

        var nested = await PostJsonAsync(admin, "/api/org", """{"settings": {"language": "en\u0000"}}""", HttpMethod.Patch);

        Assert.StartsWith("'name' contains the character U+0000", await ValidationProblems.DetailOfAsync(response, "NUL"), StringComparison.Ordinal);
        Assert.StartsWith("'settings.language' contains the character U+0000", await ValidationProblems.DetailOfAsync(nested, "nested NUL"), StringComparison.Ordinal);
        Assert.Equal(before, await admin.GetStringAsync("/api/org"));
    }

    public static TheoryData<string, string, string> UnreadableBodies() => new()
    {
        { "unknown member", OrganisationBody(extra: ", \"isAdmin\": true"), "'isAdmin' is not a member of this request." },
        { "a number for a string", OrganisationBody(phone: "254711234567"), "'phone' must be a string." },
        { "an array for the body", "[1, 2]", "The request body must be an object." },
        { "malformed", """{"name": "Hope", """, "The request body is not valid JSON (line 1, position 18)." },
        { "a nested unknown member", """{"settings": {"colour": "red"}}""", "'colour' is not a member of 'settings'." },
        { "a string for a number", """{"settings": {"autoAdminCount": "two"}}""", "'settings.autoAdminCount' must be a whole number." },
    };

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task An_unreadable_body_is_described_in_the_apis_words(string why, string body, string detail)
    {
        var org = await Host.CreateOrganisationAsync();
        var admin = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        var (client, method, path) = body.Contains("settings", StringComparison.Ordinal)
            ? (admin, HttpMethod.Patch, "/api/org")
            : (Host.CreateClient(), HttpMethod.Post, "/api/orgs");

        var response = await PostJsonAsync(client, path, body, method);

        Assert.Equal(detail, await ValidationProblems.DetailOfAsync(response, why));
    }

    [Fact]
    public async Task A_wrong_method_is_method_not_allowed()
    {
        var response = await Host.CreateClient().DeleteAsync("/api/orgs");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("method_not_allowed", await IdentityApi.CodeOf(response));
    }

    [Fact]
    public async Task A_body_of_another_media_type_is_unsupported_and_says_which_one_the_route_takes()
    {
        var response = await Host.CreateClient().PostAsync("/api/orgs", new StringContent(OrganisationBody(), Encoding.UTF8, "text/plain"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.TryGetProperty("code", out var code), body);
        Assert.Equal("unsupported_media_type", code.GetString());
        Assert.Equal("This route takes application/json; the request sent 'text/plain; charset=utf-8'.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("org")]
    [InlineData("username")]
    [InlineData("password")]
    [InlineData("refresh_token")]
    [InlineData("client_id")]
    public async Task Text_that_cannot_be_stored_in_a_token_request_is_an_oauth_invalid_request(string field)
    {
        var org = await Host.CreateOrganisationAsync();
        var form = field is "refresh_token" or "client_id"
            ? new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "a-refresh-token", ["client_id"] = "console" }
            : new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = org.Creator.Phone, ["password"] = IdentityApi.Password, ["org"] = org.Slug };
        form[field] += "\u0000";

        var response = await Host.RequestTokenAsync(form);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("invalid_request", (await IdentityApi.OAuthErrorOf(response)).Error);
    }

    private static string OrganisationBody(string name = "\"Hope\"", string username = "\"amina\"", string? phone = null, string extra = "") =>
        $$"""{"name": {{name}}, "slug": "{{IdentityApi.NewSlug()}}", "username": {{username}}, "phone": {{phone ?? $"\"{TestPhones.New()}\""}}, "password": "{{IdentityApi.Password}}"{{extra}}}""";

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string body, HttpMethod? method = null) =>
        client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
}
