using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using TeamPlatform.Testing;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// Access changes at <c>--rate</c> per second (open loop) for <c>--seconds</c>, spread over ten organisations; each change's <c>MemberAccessChanged</c>
/// is timed from the change's committed answer to its arrival at a webhook receiver in this process (which checks every
/// signature with the Standard Webhooks library) and, in the same run, to its arrival on a queue of this process bound to
/// the event's exchange: the broker's own delivery, the floor under the webhook's. Needs a running system in Development
/// (a receiver on 127.0.0.1 is a local target).
/// </summary>
public static class WebhookScenario
{
    private const string Exchange = "TeamPlatform.Contracts.V1:MemberAccessChanged";
    private const int Organisations = 10;

    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        var api = new TeamPlatformClient(gateway);
        await using var receiver = await SignedWebhookReceiver.StartAsync();
        var byBroker = new ConcurrentDictionary<(Guid, long), long>();
        // Changes to one organisation queue behind its lock: the load is spread over several, each with an endpoint.
        var organisations = new List<(TeamPlatformClient.Org Org, List<Member> Staff)>();
        for (var o = 0; o < Organisations; o++)
        {
            var org = await api.CreateOrganisationAsync();
            await api.RegisterAsync(org.Slug); // the other automatic admin
            var staff = new List<Member>();
            for (var i = 0; i < 5; i++)
            {
                staff.Add(await api.MemberWithAccessAsync(org, new { role = "staff" }));
            }

            var registration = await api.SendAs(org.Creator, HttpMethod.Post, "/api/webhooks",
                new { url = receiver.Url, eventTypes = new[] { "MemberAccessChanged" }, description = "load run" });
            await Expect(registration, HttpStatusCode.Created);
            receiver.Secrets.Add((await registration.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
            organisations.Add((org, staff));
        }

        var orgIds = organisations.Select(o => o.Org.OrgId).ToHashSet();
        await using var broker = await BrokerQueueAsync(orgIds, byBroker);
        var committed = new ConcurrentDictionary<(Guid, long), long>();

        var report = await OpenLoop.RunAsync("access change (PUT, through the gateway)", options.Rate, options.Duration, async index =>
        {
            var (org, staff) = organisations[index % organisations.Count];
            var member = staff[index / organisations.Count % staff.Count];
            var response = await api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access",
                new { role = index / (organisations.Count * staff.Count) % 2 == 0 ? "manager" : "staff" });
            var at = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            committed[(org.OrgId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt64())] = at;
            return true;
        });
        Console.WriteLine(report);

        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        var byWebhook = ByRevision(receiver);
        while ((committed.Keys.Any(r => !byWebhook.ContainsKey(r)) || committed.Keys.Any(r => !byBroker.ContainsKey(r))) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(200);
            byWebhook = ByRevision(receiver);
        }

        var elapsed = options.Duration;
        Console.WriteLine(LatencyReport.Of("change committed → MemberAccessChanged on the broker (a queue of the driver's)", Since(committed, byBroker), Missing(committed, byBroker), elapsed, options.Rate));
        Console.WriteLine(LatencyReport.Of("change committed → webhook received and verified", Since(committed, byWebhook), Missing(committed, byWebhook), elapsed, options.Rate));
        Console.WriteLine($"  signatures refused by the receiver: {receiver.All.Count(r => !r.Verified)}");
    }

    /// <summary>When each revision's event first reached the receiver, verified.</summary>
    private static ConcurrentDictionary<(Guid, long), long> ByRevision(SignedWebhookReceiver receiver) =>
        new(receiver.All.Where(r => r.Verified)
            .GroupBy(r => (r.Data.GetProperty("orgId").GetGuid(), r.Data.GetProperty("revision").GetInt64()))
            .ToDictionary(g => g.Key, g => g.Min(r => r.ArrivedAt)));

    /// <summary>Milliseconds from commit to arrival; an arrival before the answer reached the driver counts as 0.</summary>
    private static double[] Since(ConcurrentDictionary<(Guid, long), long> committed, ConcurrentDictionary<(Guid, long), long> arrived) =>
        [.. committed.Where(c => arrived.ContainsKey(c.Key))
            .Select(c => Math.Max(0, (arrived[c.Key] - c.Value) * 1000.0 / Stopwatch.Frequency))];

    private static int Missing(ConcurrentDictionary<(Guid, long), long> committed, ConcurrentDictionary<(Guid, long), long> arrived) =>
        committed.Keys.Count(r => !arrived.ContainsKey(r));

    private sealed class BrokerQueue(IConnection connection, IChannel channel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static async Task<BrokerQueue> BrokerQueueAsync(HashSet<Guid> orgIds, ConcurrentDictionary<(Guid, long), long> arrivals)
    {
        var address = Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? "amqp://guest:guest@127.0.0.1:5672/";
        var connection = await new ConnectionFactory { Uri = new Uri(address) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Exchange, "");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = Stopwatch.GetTimestamp();
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement.GetProperty("message");
            var orgId = message.GetProperty("orgId").GetGuid();
            if (orgIds.Contains(orgId))
            {
                arrivals.TryAdd((orgId, message.GetProperty("revision").GetInt64()), at);
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return new BrokerQueue(connection, channel);
    }
}
