using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using StandardWebhooks;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TeamPlatform.Notifications.Tests.Fakes;

/// <summary>
/// An organisation's webhook receiver: WireMock answering each path with the status a test sets, and the requests it
/// got, which a test checks with the Standard Webhooks library as a receiver would.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public sealed record Received(string Id, string Timestamp, string Signature, string Body, IHeaderDictionary Headers)
    {
        /// <summary>
        /// The Standard Webhooks library's signature over <c>id.timestamp.body</c>, as a receiver checks it. (Its
        /// <c>Verify</c> would also hold the timestamp to the real clock, which the tests' fake clock runs ahead of.)
        /// </summary>
        public bool SignedWith(string secret) =>
            Signature.Split(' ').Contains(
                new StandardWebhook(secret).Sign(Id, DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp, System.Globalization.CultureInfo.InvariantCulture)), Body),
                StringComparer.Ordinal);
    }

    /// <summary>A new path on the receiver, answering <paramref name="status"/> after <paramref name="delay"/>.</summary>
    public string Endpoint(int status = 200, TimeSpan? delay = null)
    {
        var path = $"/hooks/{Guid.NewGuid():N}";
        Answer(path, status, delay);
        return _server.Url + path;
    }

    public void Answer(string url, int status, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status);
        _server.Given(Request.Create().WithPath(new Uri(url).AbsolutePath).UsingPost())
            .AtPriority(1)
            .RespondWith(delay is { } wait ? response.WithDelay(wait) : response);
    }

    public IReadOnlyList<Received> ReceivedAt(string url) =>
        [.. _server.LogEntries
            .Where(entry => entry.RequestMessage.Path == new Uri(url).AbsolutePath)
            .OrderBy(entry => entry.RequestMessage.DateTime)
            .Select(entry =>
            {
                var headers = new HeaderDictionary();
                foreach (var (name, values) in entry.RequestMessage.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
                {
                    headers[name] = new StringValues([.. values]);
                }

                return new Received(headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(),
                    entry.RequestMessage.Body ?? "", headers);
            })];

    public void Dispose() => _server.Stop();
}
