using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.Gateway.Storage;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Security;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// Two gateways on one counter database, as two instances behind a load balancer: a client's anonymous limit is one
/// limit however its requests are spread (docs/decisions/0016-shared-rate-limit.md).
/// </summary>
public sealed class TwoGatewaysFixture : IAsyncLifetime
{
    public const int Limit = 4;

    private LoopbackWebApp? _identity;

    public ServiceHost<GatewayOptions> First { get; private set; } = null!;

    public ServiceHost<GatewayOptions> Second { get; private set; } = null!;

    public string CounterDatabase { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _identity = await StandInIdentity.StartAsync();
        CounterDatabase = (await TestServers.Instance).NewDatabase("gateway");
        var settings = new Dictionary<string, string?>
        {
            ["Services:identity:http:0"] = _identity.Address,
            [$"ConnectionStrings:{GatewayDbContext.ConnectionName}"] = CounterDatabase,
            ["Gateway:AnonymousPermitsPerMinute"] = Limit.ToString(CultureInfo.InvariantCulture),
        };
        First = await ServiceHost<GatewayOptions>.StartAsync("gateway", settings);
        Second = await ServiceHost<GatewayOptions>.StartAsync("gateway", settings);
    }

    /// <summary>Moves both gateways' clocks on together, as the clocks of two machines do.</summary>
    public void Advance(TimeSpan by)
    {
        First.Time.Advance(by);
        Second.Time.Advance(by);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(TwoGatewaysCollection))]
public sealed class TwoGatewaysCollection : ICollectionFixture<TwoGatewaysFixture>;

[Collection(nameof(TwoGatewaysCollection))]
public sealed class SharedRateLimitTests(TwoGatewaysFixture fixture)
{
    [Fact]
    public async Task A_clients_limit_holds_across_both_gateways_and_other_clients_are_not_counted_with_it()
    {
        var amina = NewAddress();
        var kofi = NewAddress();

        for (var request = 0; request < TwoGatewaysFixture.Limit; request++)
        {
            var gateway = request % 2 == 0 ? fixture.First : fixture.Second;
            Assert.Equal(HttpStatusCode.OK, (await Anonymous(gateway, amina)).StatusCode);
        }

        foreach (var gateway in new[] { fixture.First, fixture.Second })
        {
            var refused = await Anonymous(gateway, amina);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(ErrorCodes.RateLimited, await TeamPlatformClient.CodeOf(refused));
        }

        Assert.Equal(HttpStatusCode.OK, (await Anonymous(fixture.First, kofi)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(fixture.Second, kofi)).StatusCode);
    }

    [Fact]
    public async Task A_refused_client_is_told_the_rest_of_the_window_and_is_let_in_again_when_the_next_one_starts()
    {
        var amina = NewAddress();
        // A quarter into a window, on both clocks.
        var now = fixture.First.Time.GetUtcNow();
        var intoWindow = now - FixedWindow.At(now, RateLimiting.AnonymousWindow).Start;
        fixture.Advance(RateLimiting.AnonymousWindow - intoWindow + TimeSpan.FromSeconds(15));

        for (var request = 0; request < TwoGatewaysFixture.Limit; request++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Anonymous(request % 2 == 0 ? fixture.Second : fixture.First, amina)).StatusCode);
        }

        var refused = await Anonymous(fixture.First, amina);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("45", refused.Headers.GetValues("Retry-After").Single());

        fixture.Advance(TimeSpan.FromSeconds(44));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Anonymous(fixture.Second, amina)).StatusCode);
        fixture.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(fixture.Second, amina)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(fixture.First, amina)).StatusCode);
    }

    [Fact]
    public async Task The_sweep_deletes_the_counts_of_windows_before_the_previous_one()
    {
        var amina = NewAddress();
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(fixture.First, amina)).StatusCode);
        var counted = FixedWindow.At(fixture.First.Time.GetUtcNow(), RateLimiting.AnonymousWindow);
        var sweeper = fixture.Second.Services.GetServices<IHostedService>().OfType<RateLimitSweeper>().Single();

        fixture.Advance(RateLimiting.AnonymousWindow);
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(1, await CountsOf(amina, counted));

        fixture.Advance(RateLimiting.AnonymousWindow);
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(0, await CountsOf(amina, counted));
    }

    private async Task<long> CountsOf(string address, FixedWindow window)
    {
        await using var connection = new NpgsqlConnection(fixture.CounterDatabase);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM rate_limit_windows WHERE partition_key = $1 AND window_start = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{GatewayPolicies.AnonymousRateLimit}:{address}" });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = window.Start });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Each test's own addresses: the counts outlive a test.
    internal static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>An anonymous request from <paramref name="address"/>, through the console (which the gateway believes).</summary>
    internal static async Task<HttpResponseMessage> Anonymous(ServiceHost<GatewayOptions> gateway, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, StandInIdentity.AnonymousPath);
        request.Headers.Add("X-Forwarded-For", address);
        request.Headers.Add(TrustedProxies.KeyHeader, ServiceHost<GatewayOptions>.ProxyKey);
        return await gateway.CreateClient().SendAsync(request);
    }
}

/// <summary>
/// A gateway whose counter database is not there (nothing listens, or a server that accepts and never answers): it
/// starts all the same, lets every request through within its bound, says so on its meter and in <c>/health</c>, and
/// stays ready.
/// </summary>
public sealed class UnreachableCounterStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TcpListener _silentServer = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _heldConnections = [];
    private LoopbackWebApp? _identity;

    public async Task InitializeAsync()
    {
        _identity = await StandInIdentity.StartAsync();
        _silentServer.Start();
        _ = HoldConnectionsAsync();
    }

    // Accepts every connection and never says a word, as a frozen server would.
    private async Task HoldConnectionsAsync()
    {
        try
        {
            while (true)
            {
                var connection = await _silentServer.AcceptTcpClientAsync(_stopping.Token);
                lock (_heldConnections)
                {
                    _heldConnections.Add(connection);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        _silentServer.Stop();
        lock (_heldConnections)
        {
            _heldConnections.ForEach(connection => connection.Dispose());
        }

        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _silentServer.Dispose();
    }

    [Fact]
    public async Task With_nothing_listening_every_request_passes_counted_as_unlimited_and_the_gateway_stays_ready()
    {
        await using var gateway = await StartGatewayAsync("Host=127.0.0.1;Port=1;Username=teamplatform;Password=teamplatform;Database=gateway");
        using var unlimited = gateway.Services.Collect<long>(GatewayMetrics.MeterName, GatewayMetrics.RateLimitStoreUnavailableName);
        var amina = SharedRateLimitTests.NewAddress();

        // The first asks the store and fails; the others, within the pause after the failure, do not ask it.
        for (var request = 0; request < 4; request++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SharedRateLimitTests.Anonymous(gateway, amina)).StatusCode);
        }

        Assert.Equal(4, unlimited.Sum(("policy", GatewayPolicies.AnonymousRateLimit)));
        // The gateway's other checks may still be settling on a loaded machine: ready means 200 within a few seconds, with
        // the store's check degraded, never failing.
        using var client = gateway.CreateClient();
        var (status, body) = await Eventually.Until(
            async () =>
            {
                using var health = await client.GetAsync("/health");
                return (health.StatusCode, await health.Content.ReadAsStringAsync());
            },
            answer => answer.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15),
            "the gateway's /health to answer 200 with the counter store unreachable");
        Assert.Equal(HttpStatusCode.OK, status);
        var report = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Degraded", report.GetProperty("checks").GetProperty(GatewayDatabase.HealthCheckName).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_server_that_never_answers_costs_a_request_no_more_than_the_bound()
    {
        var port = ((IPEndPoint)_silentServer.LocalEndpoint).Port;
        await using var gateway = await StartGatewayAsync(
            $"Host=127.0.0.1;Port={port};Username=teamplatform;Password=teamplatform;Database=gateway;Timeout=10",
            ("Gateway:RateLimitStoreTimeout", "00:00:00.300"));
        using var unlimited = gateway.Services.Collect<long>(GatewayMetrics.MeterName, GatewayMetrics.RateLimitStoreUnavailableName);
        var amina = SharedRateLimitTests.NewAddress();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var response = await SharedRateLimitTests.Anonymous(gateway, amina);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Npgsql alone would wait its 10 s connection timeout; the gateway's bound is 300 ms (the rest is a busy machine's margin).
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(1, unlimited.Sum(("policy", GatewayPolicies.AnonymousRateLimit)));
    }

    private async Task<ServiceHost<GatewayOptions>> StartGatewayAsync(string counterDatabase, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Services:identity:http:0"] = _identity!.Address,
            [$"ConnectionStrings:{GatewayDbContext.ConnectionName}"] = counterDatabase,
            ["Gateway:AnonymousPermitsPerMinute"] = "1",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return await ServiceHost<GatewayOptions>.StartAsync("gateway", all);
    }
}

/// <summary>Identity as far as these tests need it: an empty revocation list and an anonymous route that answers 200.</summary>
internal static class StandInIdentity
{
    public const string AnonymousPath = "/.well-known/client";

    public static Task<LoopbackWebApp> StartAsync() => LoopbackWebApp.StartAsync(identity =>
    {
        identity.MapGet("/internal/sessions/revocations", () => Results.Json(new RevocationsResponse([])));
        identity.MapGet(AnonymousPath, () => Results.Ok(new { reached = "identity" }));
    });
}
