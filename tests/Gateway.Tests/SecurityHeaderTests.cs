using System.Net;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// What every answer tells a browser: the API's are not pages to frame, sniff or script, whoever answered them (a service,
/// the gateway's own problems, its 404s, 413s, 429s and its 503s); the API reference at /docs may run its scripts but is never framed.
/// </summary>
[Collection(nameof(GatewayCollection))]
public sealed class SecurityHeaderTests(GatewayFixture fixture)
{
    private static readonly Guid Org = Guid.NewGuid();

    public static TheoryData<string, string, bool, HttpStatusCode> Answers => new()
    {
        // a service's answer
        { "GET", "/api/me", true, HttpStatusCode.OK },
        { "GET", "/.well-known/client", false, HttpStatusCode.OK },
        // the gateway's problems
        { "GET", "/api/me", false, HttpStatusCode.Unauthorized },
        { "OPTIONS", "/api/me", false, HttpStatusCode.Unauthorized },
        { "GET", "/api/nowhere", true, HttpStatusCode.NotFound },
        { "GET", "/internal/sessions/revocations", false, HttpStatusCode.NotFound },
        // a service that is not running, and the console when it is not: the gateway answers for them
        { "GET", "/api/invitations", true, HttpStatusCode.ServiceUnavailable },
        { "GET", "/o/hope-ngo", false, HttpStatusCode.ServiceUnavailable },
        // the gateway's own routes
        { "GET", "/health", false, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_answer_of_the_API_and_of_the_gateway_carries_the_strict_security_headers(string method, string path, bool withToken, HttpStatusCode status)
    {
        using var response = await SendAsync(method, path, withToken);

        Assert.Equal(status, response.StatusCode);
        AssertStrict(response);
    }

    [Fact]
    public async Task A_body_refused_for_its_size_before_anything_is_proxied_carries_them_too()
    {
        using var client = fixture.Gateway.CreateClient();
        using var body = new ByteArrayContent(new byte[ApiDefaults.MaxRequestBodyBytes + 1]);
        body.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync("/api/orgs", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertStrict(response);
    }

    [Theory]
    [InlineData("/docs/")]
    [InlineData("/docs/scalar.js")]
    public async Task The_api_reference_is_never_framed_or_sniffed_and_keeps_its_scripts(string path)
    {
        using var response = await SendAsync("GET", path, withToken: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("frame-ancestors 'none'; object-src 'none'; base-uri 'self'", Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, bool withToken)
    {
        using var client = fixture.Gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (withToken)
        {
            request.Headers.Authorization = new("Bearer", TestTokens.ForMember(Org, Guid.NewGuid()));
        }

        return await client.SendAsync(request);
    }

    /// <summary>The API's headers: nothing it answers is a page to render, frame or script.</summary>
    internal static void AssertStrict(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}
