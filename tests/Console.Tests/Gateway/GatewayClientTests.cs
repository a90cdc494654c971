using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeamPlatform.Console.Infrastructure.Gateway;
using TeamPlatform.ServiceDefaults.Security;
using Xunit;

namespace TeamPlatform.Console.Tests.Gateway;

public sealed class GatewayClientTests
{
    private const string ProxyKey = "the-deployment-proxy-key";
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private static readonly BrowserClient Browser = new("203.0.113.7", Firefox);

    [Fact]
    public async Task The_browser_address_goes_to_the_gateway_with_the_proxy_key_that_makes_it_believed()
    {
        var gateway = new RecordingGateway();

        await Client(gateway, ProxyKey).GetAsync<Done>("/api/me", Browser, accessToken: null, CancellationToken.None);

        var request = Assert.Single(gateway.Requests);
        Assert.Equal([ProxyKey], request.Header(TrustedProxies.KeyHeader));
        Assert.Equal(["203.0.113.7"], request.Header("X-Forwarded-For"));
        Assert.Equal([Firefox], request.Header("User-Agent"));
    }

    [Fact]
    public async Task Without_a_proxy_key_the_browser_address_is_not_forwarded_but_its_user_agent_is()
    {
        var gateway = new RecordingGateway();

        await Client(gateway, proxyKey: "").GetAsync<Done>("/api/me", Browser, accessToken: null, CancellationToken.None);

        var request = Assert.Single(gateway.Requests);
        Assert.Empty(request.Header(TrustedProxies.KeyHeader));
        Assert.Empty(request.Header("X-Forwarded-For"));
        Assert.Equal([Firefox], request.Header("User-Agent"));
    }

    [Fact]
    public async Task A_browser_whose_address_is_unknown_sends_neither_address_nor_key()
    {
        var gateway = new RecordingGateway();

        await Client(gateway, ProxyKey).GetAsync<Done>("/api/me", new BrowserClient(null, Firefox), accessToken: null, CancellationToken.None);

        var request = Assert.Single(gateway.Requests);
        Assert.Empty(request.Header(TrustedProxies.KeyHeader));
        Assert.Empty(request.Header("X-Forwarded-For"));
        Assert.Equal([Firefox], request.Header("User-Agent"));
    }

    [Fact]
    public async Task Every_kind_of_call_forwards_the_browser()
    {
        var gateway = new RecordingGateway();
        var client = Client(gateway, ProxyKey);

        await client.SendJsonAsync<Done>(HttpMethod.Put, "/api/members/1/access", new { role = "staff" }, Browser, "token", CancellationToken.None);
        await client.PostFormAsync<Done>("/connect/token", [new("grant_type", "password")], Browser, CancellationToken.None);

        Assert.Equal(2, gateway.Requests.Count);
        Assert.All(gateway.Requests, request =>
        {
            Assert.Equal(["203.0.113.7"], request.Header("X-Forwarded-For"));
            Assert.Equal([Firefox], request.Header("User-Agent"));
        });
        Assert.Equal(["Bearer token"], gateway.Requests[0].Header("Authorization"));
    }

    [Fact]
    public async Task An_unreachable_gateway_is_an_answer_that_says_so_rather_than_an_exception()
    {
        var gateway = new RecordingGateway(_ => throw new HttpRequestException("Connection refused"));

        var result = await Client(gateway, ProxyKey).GetAsync<Done>("/api/me", Browser, accessToken: null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Same(ApiErrors.Unreachable, result.Error);
        Assert.Equal(503, result.Error.Status);
        Assert.Equal(ApiError.Unreachable, result.Error.Code);
    }

    [Fact]
    public async Task A_gateway_that_times_out_is_unreachable_too()
    {
        var gateway = new RecordingGateway(_ => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout."));

        var result = await Client(gateway, ProxyKey).GetAsync<Done>("/api/me", Browser, accessToken: null, CancellationToken.None);

        Assert.Same(ApiErrors.Unreachable, result.Error);
    }

    [Fact]
    public async Task A_call_the_caller_cancels_stays_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var gateway = new RecordingGateway(_ =>
        {
            cancellation.Cancel();
            throw new TaskCanceledException();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client(gateway, ProxyKey).GetAsync<Done>("/api/me", Browser, accessToken: null, cancellation.Token));
    }

    private static GatewayClient Client(RecordingGateway gateway, string proxyKey) => new(
        new HttpClient(gateway) { BaseAddress = new Uri("http://gateway.test") },
        Options.Create(new TrustedProxyOptions { Key = proxyKey }),
        NullLogger<GatewayClient>.Instance);

    /// <summary>A request as it left the console: headers are copied as sent, since the client disposes the request after.</summary>
    private sealed record SentRequest(IReadOnlyDictionary<string, string[]> Headers)
    {
        public string[] Header(string name) => Headers.GetValueOrDefault(name, []);
    }

    /// <summary>The gateway, without a network: records each request and answers <c>204</c> unless told otherwise.</summary>
    private sealed class RecordingGateway(Func<HttpRequestMessage, HttpResponseMessage>? answer = null) : HttpMessageHandler
    {
        public List<SentRequest> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new SentRequest(
                request.Headers.NonValidated.ToDictionary(header => header.Key, header => header.Value.ToArray(), StringComparer.OrdinalIgnoreCase)));
            return Task.FromResult(answer?.Invoke(request) ?? new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
