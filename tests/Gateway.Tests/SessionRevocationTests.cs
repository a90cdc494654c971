using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.Gateway.Sessions;
using TeamPlatform.Internal;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// The gateway in process on a virtual host of its own, routing to a small stand-in for identity (a real socket):
/// it loads the revocations identity lists at start, hears <c>MemberSessionsRevoked</c>, and refuses the tokens.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public static readonly Guid RevokedAtStart = Guid.NewGuid();

    private LoopbackWebApp? _identity;

    public ServiceHost<GatewayOptions> Gateway { get; private set; } = null!;

    /// <summary>How many times the gateway asked identity for the list, and with which internal key.</summary>
    public ConcurrentQueue<string?> ListRequests { get; } = new();

    public async Task InitializeAsync()
    {
        _identity = await LoopbackWebApp.StartAsync(identity =>
        {
            identity.MapGet("/internal/sessions/revocations", (HttpContext http) =>
            {
                ListRequests.Enqueue(http.Request.Headers["X-Internal-Key"]);
                return Results.Json(new RevocationsResponse([new RevocationItem(RevokedAtStart, SessionId: null, DateTimeOffset.UtcNow)]));
            });
            identity.MapGet("/api/me", () => Results.Ok(new { reached = "identity" }));
            // An anonymous route: what identity is told about the client, and whether the gateway vouched for it.
            identity.MapGet("/.well-known/client", (HttpContext http) => Results.Ok(new
            {
                forwardedFor = http.Request.Headers["X-Forwarded-For"].ToString(),
                vouched = http.Request.Headers[TeamPlatform.ServiceDefaults.Security.TrustedProxies.KeyHeader] == ServiceHost<GatewayOptions>.ProxyKey,
            }));
        });
        var identityUrl = _identity.Address;

        Gateway = await ServiceHost<GatewayOptions>.StartAsync("gateway", new Dictionary<string, string?>
        {
            ["Services:identity:http:0"] = identityUrl,
            // Low enough for a test to reach, each count a statement on the gateway's database; high enough for the others.
            ["Gateway:AnonymousPermitsPerMinute"] = "200",
        });
        await LoadedAsync(Gateway);
    }

    /// <summary>Waits until <paramref name="gateway"/> has read identity's revocation list.</summary>
    public static async Task LoadedAsync(ServiceHost<GatewayOptions> gateway)
    {
        var loader = gateway.Services.GetRequiredService<RevocationListLoader>();
        await Eventually.Until(
            async () =>
            {
                // The loader waits between attempts on the gateway's clock: it follows the real one until the list is in.
                gateway.Time.SetUtcNow(DateTimeOffset.UtcNow);
                return (await loader.CheckHealthAsync(new())).Status;
            },
            status => status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            what: "the gateway to load identity's revocation list");
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(GatewayCollection))]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>;

[Collection(nameof(GatewayCollection))]
public sealed class SessionRevocationTests(GatewayFixture fixture)
{
    private static readonly Guid Org = Guid.NewGuid();

    [Fact]
    public async Task At_start_the_gateway_loads_identitys_list_with_the_internal_key()
    {
        var revoked = await GetMe(TestTokens.ForMember(Org, GatewayFixture.RevokedAtStart, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-1)));
        var other = await GetMe(TestTokens.ForMember(Org, Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Contains(ServiceHost<GatewayOptions>.InternalKey, fixture.ListRequests);
    }

    [Fact]
    public async Task A_revoked_members_tokens_are_refused_once_the_event_arrives()
    {
        var member = Guid.NewGuid();
        var token = TestTokens.ForMember(Org, member, issuedAt: DateTimeOffset.UtcNow.AddSeconds(-5));
        Assert.Equal(HttpStatusCode.OK, (await GetMe(token)).StatusCode);

        var revokedBefore = DateTimeOffset.UtcNow;
        var refused = await Eventually.Until(
            async () =>
            {
                // Published again until heard: the gateway's own queue may still be binding when the test starts.
                await fixture.Gateway.Bus.Publish(new MemberSessionsRevoked(Org, member, revokedBefore, null, "blocked", revokedBefore));
                return await GetMe(token);
            },
            response => response.StatusCode == HttpStatusCode.Unauthorized,
            what: "the revoked token to be refused");

        Assert.Equal("unauthenticated", (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
        // A session that started after the revocation (a fresh login) is not caught by it.
        var newSession = Guid.CreateVersion7(revokedBefore.AddMilliseconds(10)).ToString();
        var fresh = TestTokens.ForMember(Org, member, newSession, issuedAt: revokedBefore.AddMilliseconds(10));
        Assert.Equal(HttpStatusCode.OK, (await GetMe(fresh)).StatusCode);
    }

    [Fact]
    public async Task Ending_one_session_refuses_only_its_tokens()
    {
        var member = Guid.NewGuid();
        var ended = Guid.CreateVersion7().ToString();
        var kept = Guid.CreateVersion7().ToString();
        var endedToken = TestTokens.ForMember(Org, member, ended, issuedAt: DateTimeOffset.UtcNow.AddSeconds(-5));
        var keptToken = TestTokens.ForMember(Org, member, kept, issuedAt: DateTimeOffset.UtcNow.AddSeconds(-5));

        var revokedBefore = DateTimeOffset.UtcNow;
        await Eventually.Until(
            async () =>
            {
                await fixture.Gateway.Bus.Publish(new MemberSessionsRevoked(Org, member, revokedBefore, ended, "signed_out", revokedBefore));
                return await GetMe(endedToken);
            },
            response => response.StatusCode == HttpStatusCode.Unauthorized,
            what: "the ended session's token to be refused");

        Assert.Equal(HttpStatusCode.OK, (await GetMe(keptToken)).StatusCode);
    }

    [Fact]
    public async Task A_revocation_published_once_reaches_every_gateway_within_250_ms_though_both_remember_the_token()
    {
        await using var second = await fixture.Gateway.StartAnotherInstanceAsync();
        await GatewayFixture.LoadedAsync(second);
        var member = Guid.NewGuid();
        var token = TestTokens.ForMember(Org, member, issuedAt: DateTimeOffset.UtcNow.AddSeconds(-5));
        var gateways = new[] { fixture.Gateway.CreateClient(), second.CreateClient() };
        // Each gateway has validated the token and answers it from its cache from now on.
        foreach (var gateway in gateways)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetMe(gateway, token)).StatusCode);
        }

        // Once: a queue shared by the gateways would hand the one message to one of them only.
        var revokedBefore = DateTimeOffset.UtcNow;
        var published = Stopwatch.StartNew();
        await fixture.Gateway.Bus.Publish(new MemberSessionsRevoked(Org, member, revokedBefore, null, "blocked", revokedBefore));
        foreach (var gateway in gateways)
        {
            while ((await GetMe(gateway, token)).StatusCode != HttpStatusCode.Unauthorized)
            {
                Assert.True(published.Elapsed < TimeSpan.FromMilliseconds(250), $"a gateway still accepted the token {published.ElapsedMilliseconds} ms after the revocation");
                await Task.Delay(10);
            }
        }
    }

    [Fact]
    public void A_session_ids_start_is_read_from_its_version_7_uuid()
    {
        var start = new DateTimeOffset(2026, 5, 1, 8, 30, 15, 123, TimeSpan.Zero);

        Assert.Equal(start, RevocationList.StartOf(Guid.CreateVersion7(start)));
        Assert.Null(RevocationList.StartOf(Guid.NewGuid()));
    }

    [Fact]
    public void Revocations_keep_the_latest_time_and_are_forgotten_after_the_retention()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var list = new RevocationList(Microsoft.Extensions.Options.Options.Create(new SessionRevocationOptions()), clock);
        var member = Guid.NewGuid();
        var session = Guid.NewGuid();
        var now = clock.GetUtcNow();

        list.Add(member, null, now);
        list.Add(member, null, now.AddSeconds(-30));

        Assert.True(list.IsRevoked(member, session, now.AddSeconds(-1)));
        Assert.False(list.IsRevoked(member, session, now));
        clock.Advance(TimeSpan.FromMinutes(21));
        list.Add(Guid.NewGuid(), null, clock.GetUtcNow());
        Assert.False(list.IsRevoked(member, session, now.AddSeconds(-1)));
    }

    private Task<HttpResponseMessage> GetMe(string token) => GetMe(fixture.Gateway.CreateClient(), token);

    private static async Task<HttpResponseMessage> GetMe(HttpClient gateway, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new("Bearer", token);
        return await gateway.SendAsync(request);
    }
}
