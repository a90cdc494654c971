using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.ServiceDefaults.Security;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>What the gateway itself refuses to whoever calls it from outside, before any service works.</summary>
[Collection(nameof(GatewayCollection))]
public sealed class EdgeAbuseTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("/internal/sessions/revocations")]
    [InlineData("/internal/members")]
    [InlineData("/internal/invitations/accept")]
    public async Task Internal_routes_are_not_reachable_through_the_gateway_even_with_the_internal_key(string path)
    {
        var asked = fixture.ListRequests.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(InternalAuthentication.KeyHeader, ServiceHost<GatewayOptions>.InternalKey);

        using var response = await fixture.Gateway.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", await TeamPlatformClient.CodeOf(response));
        // The stand-in for identity serves its list at that path: it was never asked.
        Assert.Equal(asked, fixture.ListRequests.Count);
    }

    [Fact]
    public async Task Password_guesses_from_one_client_are_limited_per_minute_and_another_client_is_not_held_back()
    {
        var cap = fixture.Gateway.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.AnonymousPermitsPerMinute;
        var guesser = NewAddress();

        // The limit counts per minute of the clock: a loop stretched across the minute's end counts again, so the guesser
        // is refused after at least the cap (at most two windows' worth), never before it.
        var allowed = 0;
        HttpResponseMessage refused;
        while ((refused = await PasswordGrant(guesser)).StatusCode != HttpStatusCode.TooManyRequests && allowed <= 2 * cap)
        {
            allowed++;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(allowed, cap, 2 * cap);
        Assert.Equal("rate_limited", await TeamPlatformClient.CodeOf(refused));
        SecurityHeaderTests.AssertStrict(refused);
        // Not locked out for good: told when to come back, within the minute.
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await PasswordGrant(NewAddress())).StatusCode);
    }

    // Each test's own addresses: the limiter's counts outlive a test.
    private static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>A password grant from a browser at <paramref name="address"/>, as the console forwards it.</summary>
    private async Task<HttpResponseMessage> PasswordGrant(string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["username"] = "+254711234567",
                ["password"] = "a guess at the password",
                ["org"] = "hope-ngo",
            }),
        };
        request.Headers.Add("X-Forwarded-For", address);
        request.Headers.Add(TrustedProxies.KeyHeader, ServiceHost<GatewayOptions>.ProxyKey);
        return await fixture.Gateway.CreateClient().SendAsync(request);
    }
}
