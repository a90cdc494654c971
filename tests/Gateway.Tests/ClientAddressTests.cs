using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.ServiceDefaults.Security;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// The console calls the API for many browsers from one address: with the proxy key, the gateway counts each browser
/// on its own; without it, a forwarded address is somebody's claim and changes nothing (docs/decisions/0007-trusted-proxies.md).
/// </summary>
[Collection(nameof(GatewayCollection))]
public sealed class ClientAddressTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Browsers_behind_the_console_are_limited_one_by_one_and_a_forged_address_is_not_counted_as_theirs()
    {
        var cap = fixture.Gateway.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.AnonymousPermitsPerMinute;
        var amina = NewAddress();
        var kofi = NewAddress();

        // The limit counts per minute of the clock: a loop that a busy machine stretches across the minute's end starts
        // counting again, so amina is refused after at least her cap (at most two windows' worth), never before it.
        var allowed = 0;
        HttpResponseMessage refused;
        while ((refused = await Anonymous(amina)).StatusCode == HttpStatusCode.OK && allowed <= 2 * cap)
        {
            allowed++;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(allowed, cap, 2 * cap);
        Assert.Equal("rate_limited", await TeamPlatformClient.CodeOf(refused));
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(kofi)).StatusCode);
        // Claiming amina's address without the key is not being amina: the request counts for its own connection.
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(amina, key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(amina, key: "not-the-key-0123456789abcdef0123456789")).StatusCode);
    }

    [Fact]
    public async Task Services_hear_the_browsers_address_from_the_console_and_never_a_forged_one()
    {
        var browser = NewAddress();
        var forged = NewAddress();

        var relayed = await (await Anonymous(browser)).Content.ReadFromJsonAsync<JsonElement>();
        var claimed = await (await Anonymous(forged, key: null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(browser, relayed.GetProperty("forwardedFor").GetString());
        Assert.DoesNotContain(forged, claimed.GetProperty("forwardedFor").GetString());
        // The gateway vouches for what it forwards with its own key, whoever called it.
        Assert.True(relayed.GetProperty("vouched").GetBoolean());
        Assert.True(claimed.GetProperty("vouched").GetBoolean());
    }

    // Each test's own addresses: the limiter's counts outlive a test.
    private static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>An anonymous request that claims to come from <paramref name="address"/>, through the console by default.</summary>
    private async Task<HttpResponseMessage> Anonymous(string address, string? key = ServiceHost<GatewayOptions>.ProxyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/client");
        request.Headers.Add("X-Forwarded-For", address);
        if (key is not null)
        {
            request.Headers.Add(TrustedProxies.KeyHeader, key);
        }

        return await fixture.Gateway.CreateClient().SendAsync(request);
    }
}
