using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.System.Tests;

[Collection(nameof(SystemCollection))]
public sealed class GatewayTests(EveryProcessTwiceSystemFixture system)
{
    [Fact]
    public async Task Health_reports_the_gateway_and_all_four_services()
    {
        string[] checks = ["identity", "permission", "invitation", "notification", "session-revocations", "rabbitmq"];

        // Each service's own /health asks the services it calls: on a busy machine one may miss the gateway's timeout for a moment.
        var (status, report) = await Eventually.Until(
            async () =>
            {
                using var response = await system.Gateway.GetAsync("/health");
                return (response.StatusCode, Report: await response.Content.ReadFromJsonAsync<JsonElement>());
            },
            answer => answer.Report.GetProperty("status").GetString() == "Healthy",
            TimeSpan.FromSeconds(30),
            "the gateway's health to be Healthy");

        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var check in checks)
        {
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        }
    }

    [Theory]
    [InlineData("/api/me")]
    [InlineData("/api/members")]
    [InlineData("/api/invitations")]
    [InlineData("/api/notifications")]
    [InlineData("/api/webhooks")]
    [InlineData("/api/groups")]
    [InlineData("/api/org")]
    [InlineData("/api/audit/verify")]
    [InlineData("/api/access-review?format=csv")]
    public async Task Authenticated_routes_refuse_a_request_without_a_token(string path)
    {
        var response = await system.Gateway.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", await CodeOf(response));
    }

    [Fact]
    public async Task A_forged_token_is_refused_at_the_edge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new("Bearer", Testing.TestTokens.ForMember(Guid.NewGuid(), Guid.NewGuid()));

        var response = await system.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/internal/members")]
    [InlineData("/internal/sessions/revocations")]
    public async Task Internal_routes_are_never_exposed(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Internal-Key", "guess");

        var response = await system.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", await CodeOf(response));
    }

    [Theory]
    [InlineData("DELETE", "/api/orgs")]
    [InlineData("GET", "/api/orgs/any-slug/registrations")]
    [InlineData("PUT", "/api/dev/notifications")]
    public async Task A_method_a_route_does_not_take_is_405_through_the_gateway(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        var response = await system.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("method_not_allowed", await CodeOf(response));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_and_the_connection_carries_the_next_request()
    {
        // One connection for everything: a refusal that dropped it, or whose answer the reset destroyed, fails the next send.
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = system.Gateway.BaseAddress,
        };

        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var body = new StringContent(new string('a', 70 * 1024), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/api/orgs", body);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("payload_too_large", await CodeOf(response));
            Assert.NotEqual(true, response.Headers.ConnectionClose);
        }

        using var next = await client.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Each_service_publishes_an_OpenAPI_document_gathered_under_docs()
    {
        foreach (var service in new[] { "identity", "permission", "invitation", "notification" })
        {
            var document = await system.Gateway.GetFromJsonAsync<JsonElement>($"/openapi/{service}.json");
            Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        }

        var docs = await system.Gateway.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("TeamPlatform API", await docs.Content.ReadAsStringAsync());
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("code").GetString();
    }
}
