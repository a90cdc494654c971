using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace TeamPlatform.Edge.Tests;

/// <summary>The edge in front of two stand-in gateways on real ports: spread, a gateway that dies, one not ready.</summary>
public sealed class EdgeTests : IAsyncLifetime, IDisposable
{
    private const string ProxyKey = "edge-tests-proxy-key-0123456789abcdef0123456789";

    private readonly StandInGateway _a = new("a");
    private readonly StandInGateway _b = new("b");
    private WebApplication _edge = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _a.StartAsync();
        await _b.StartAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["services:gateway:http:0"] = _a.Address;
        builder.Configuration["services:gateway:http:1"] = _b.Address;
        builder.Configuration["TrustedProxies:Key"] = ProxyKey;
        builder.Configuration["Edge:HealthCheckInterval"] = "00:00:00.200";
        builder.Services.AddServiceDiscovery();
        builder.AddEdge();
        _edge = builder.Build();
        _edge.UseEdge();
        await _edge.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(AddressOf(_edge)), Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _a.StopAsync();
        await _b.StopAsync();
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Requests_are_spread_over_every_gateway_with_the_client_address_and_the_proxy_key()
    {
        var answers = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/who");
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Contains(answers, answer => answer.StartsWith("a ", StringComparison.Ordinal));
        Assert.Contains(answers, answer => answer.StartsWith("b ", StringComparison.Ordinal));
        // The client's own address, not the one it claimed; the key that makes the gateway believe it.
        Assert.All(answers, answer => Assert.EndsWith(" 127.0.0.1 key", answer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gateway_that_dies_costs_no_request_and_the_other_answers_them_all()
    {
        await _b.StopAsync();

        for (var i = 0; i < 30; i++)
        {
            using var response = await _client.GetAsync(new Uri("/who", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("a ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(30, _a.Served);
    }

    [Fact]
    public async Task A_gateway_that_is_not_ready_twice_is_left_out_until_it_is_ready_again()
    {
        _b.Ready = false;
        // Probe rounds follow one another: by the time the third probe comes, the second's answer has been counted.
        await _b.ProbedAsync(ready: false, times: 3);
        var servedBefore = _b.Served;

        for (var i = 0; i < 20; i++)
        {
            using var response = await _client.GetAsync(new Uri("/who", UriKind.Relative));
            Assert.StartsWith("a ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(servedBefore, _b.Served);
        _b.Ready = true;
        await _b.ProbedAsync(ready: true, times: 2);
        var answers = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await _client.GetStringAsync(new Uri("/who", UriKind.Relative)));
        }

        Assert.Contains(answers, answer => answer.StartsWith("b ", StringComparison.Ordinal));
    }

    private static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    /// <summary>Answers <c>/health</c> as told and <c>/who</c> with its name, the client address it was given and whether the proxy key came.</summary>
    private sealed class StandInGateway(string name)
    {
        private WebApplication? _app;
        private int _served;
        private int _probesSinceChange;
        private volatile bool _ready = true;

        public bool Ready
        {
            get => _ready;
            set
            {
                _ready = value;
                Interlocked.Exchange(ref _probesSinceChange, 0);
            }
        }

        /// <summary>Waits until the edge has asked <c>/health</c> <paramref name="times"/> times since <see cref="Ready"/> was set.</summary>
        public async Task ProbedAsync(bool ready, int times)
        {
            Assert.Equal(ready, Ready);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Volatile.Read(ref _probesSinceChange) < times)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
            }
        }

        public int Served => _served;

        public string Address { get; private set; } = "";

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            _app = builder.Build();
            _app.MapGet("/health", () =>
            {
                var ready = Ready;
                Interlocked.Increment(ref _probesSinceChange);
                return ready ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            });
            _app.MapGet("/who", (HttpRequest request) =>
            {
                Interlocked.Increment(ref _served);
                var key = request.Headers["X-Proxy-Key"] == ProxyKey ? "key" : "no-key";
                return $"{name} {request.Headers["X-Forwarded-For"]} {key}";
            });
            await _app.StartAsync();
            Address = AddressOf(_app);
        }

        public async Task StopAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
                _app = null;
            }
        }
    }
}
