using System.Net;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>What every API answer tells a browser: not a page to frame, sniff or script, and no other site may read it.</summary>
[Collection(nameof(GatewayCollection))]
public sealed class EdgeHeaderTests(GatewayFixture fixture)
{
    private static readonly Guid Org = Guid.NewGuid();

    public static TheoryData<string, string, bool, HttpStatusCode> Answers => new()
    {
        { "GET", "/api/me", true, HttpStatusCode.OK },
        { "GET", "/api/me", false, HttpStatusCode.Unauthorized },
        { "GET", "/api/nowhere", true, HttpStatusCode.NotFound },
        { "OPTIONS", "/api/me", false, HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_API_answer_carries_the_strict_headers_and_no_other_origin_may_read_it(string method, string path, bool withToken, HttpStatusCode status)
    {
        using var client = fixture.Gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", "https://attacker.example");
        request.Headers.Add("Access-Control-Request-Method", "DELETE");
        if (withToken)
        {
            request.Headers.Authorization = new("Bearer", TestTokens.ForMember(Org, Guid.NewGuid()));
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}
