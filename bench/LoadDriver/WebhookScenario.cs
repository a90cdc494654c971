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
/// <c>MemberAccessChanged</c> events at <c>--rate</c> per second (open loop) for <c>--seconds</c>, spread over ten
/// organisations, each timed from its change's committed answer to its arrival at a webhook receiver in this process (which
/// checks every signature with the Standard Webhooks library) and, in the same run, to its arrival on a queue of this
/// process bound to the event's exchange: the broker's own delivery, the floor under the webhook's. The events come from
/// access changes, one each; with <c>--holders N</c>, from group deletions, each taking the group from the N members who
/// hold it in one commit (N events, <c>--rate</c> ÷ N deletions a second). Needs a running system in Development (a
/// receiver on 127.0.0.1 is a local target).
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
        var byBroker = new ConcurrentDictionary<EventKey, long>();
        // Changes to one organisation queue behind its lock: the load is spread over several, each with an endpoint.
        var organisations = new List<Organisation>();
        var deletions = options.Holders > 0;
        var deletionsPerOrganisation = deletions ? (int)Math.Ceiling(options.Rate * options.Duration.TotalSeconds / options.Holders / Organisations) + 1 : 0;
        for (var o = 0; o < Organisations; o++)
        {
            var org = await api.CreateOrganisationAsync();
            await api.RegisterAsync(org.Slug); // the other automatic admin
            var staff = new List<Member>();
            for (var i = 0; i < (deletions ? options.Holders : 5); i++)
            {
                staff.Add(await api.MemberWithAccessAsync(org, new { role = "staff" }));
            }

            var groups = new List<string>();
            for (var g = 0; g < deletionsPerOrganisation; g++)
            {
                var created = await api.SendAs(org.Creator, HttpMethod.Post, "/api/groups", new { name = $"load {g}" });
                await Expect(created, HttpStatusCode.Created);
                groups.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }

            foreach (var member in groups.Count > 0 ? staff : [])
            {
                await Expect(await api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access", new { role = "staff", groupIds = groups }),
                    HttpStatusCode.OK);
            }

            var registration = await api.SendAs(org.Creator, HttpMethod.Post, "/api/webhooks",
                new { url = receiver.Url, eventTypes = new[] { "MemberAccessChanged" }, description = "load run" });
            await Expect(registration, HttpStatusCode.Created);
            receiver.Secrets.Add((await registration.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
            organisations.Add(new Organisation(org, staff, groups));
        }

        var orgIds = organisations.Select(o => o.Org.OrgId).ToHashSet();
        await using var broker = await BrokerQueueAsync(orgIds, byBroker);
        var committed = new ConcurrentDictionary<EventKey, long>();

        var report = deletions
            ? await OpenLoop.RunAsync($"group deletion of {options.Holders} holders (DELETE, through the gateway)", Math.Max(1, options.Rate / options.Holders),
                options.Duration, index => DeleteGroupAsync(api, organisations[index % Organisations], index / Organisations, committed))
            : await OpenLoop.RunAsync("access change (PUT, through the gateway)", options.Rate, options.Duration,
                index => ChangeAccessAsync(api, organisations[index % Organisations], index / Organisations, committed));
        Console.WriteLine(report);

        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        var byWebhook = ByEvent(receiver);
        while ((committed.Keys.Any(r => !byWebhook.ContainsKey(r)) || committed.Keys.Any(r => !byBroker.ContainsKey(r))) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(200);
            byWebhook = ByEvent(receiver);
        }

        var elapsed = options.Duration;
        Console.WriteLine($"  events committed: {committed.Count} ({committed.Count / elapsed.TotalSeconds:F1} a second)");
        Console.WriteLine(LatencyReport.Of("change committed → MemberAccessChanged on the broker (a queue of the driver's)", Since(committed, byBroker), Missing(committed, byBroker), elapsed, options.Rate));
        Console.WriteLine(LatencyReport.Of("change committed → webhook received and verified", Since(committed, byWebhook), Missing(committed, byWebhook), elapsed, options.Rate));
        // The notification service's own share: from the moment every subscriber could have the event to its webhook.
        var onBroker = new ConcurrentDictionary<EventKey, long>(byBroker.Where(b => committed.ContainsKey(b.Key)));
        Console.WriteLine(LatencyReport.Of("MemberAccessChanged on the broker → webhook received and verified", Since(onBroker, byWebhook), Missing(onBroker, byWebhook), elapsed, options.Rate));
        Console.WriteLine($"  signatures refused by the receiver: {receiver.All.Count(r => !r.Verified)}");
    }

    private sealed record Organisation(TeamPlatformClient.Org Org, List<Member> Staff, List<string> Groups);

    /// <summary>One event: the organisation's revision of the change, and the member it is about.</summary>
    private readonly record struct EventKey(Guid OrgId, Guid MemberId, long Revision);

    private static async Task<bool> ChangeAccessAsync(TeamPlatformClient api, Organisation organisation, int round, ConcurrentDictionary<EventKey, long> committed)
    {
        var member = organisation.Staff[round % organisation.Staff.Count];
        var response = await api.SendAs(organisation.Org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access",
            new { role = round / organisation.Staff.Count % 2 == 0 ? "manager" : "staff" });
        var at = Stopwatch.GetTimestamp();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        committed[new EventKey(organisation.Org.OrgId, member.MemberId, await RevisionAsync(response))] = at;
        return true;
    }

    private static async Task<bool> DeleteGroupAsync(TeamPlatformClient api, Organisation organisation, int round, ConcurrentDictionary<EventKey, long> committed)
    {
        var response = await api.SendAs(organisation.Org.Creator, HttpMethod.Delete, $"/api/groups/{organisation.Groups[round]}", null);
        var at = Stopwatch.GetTimestamp();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        var revision = await RevisionAsync(response);
        foreach (var member in organisation.Staff)
        {
            committed[new EventKey(organisation.Org.OrgId, member.MemberId, revision)] = at;
        }

        return true;
    }

    private static async Task<long> RevisionAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt64();

    /// <summary>When each event first reached the receiver, verified.</summary>
    private static ConcurrentDictionary<EventKey, long> ByEvent(SignedWebhookReceiver receiver) =>
        new(receiver.All.Where(r => r.Verified)
            .GroupBy(r => new EventKey(r.Data.GetProperty("orgId").GetGuid(), r.Data.GetProperty("memberId").GetGuid(), r.Data.GetProperty("revision").GetInt64()))
            .ToDictionary(g => g.Key, g => g.Min(r => r.ArrivedAt)));

    /// <summary>Milliseconds from commit to arrival; an arrival before the answer reached the driver counts as 0.</summary>
    private static double[] Since(ConcurrentDictionary<EventKey, long> committed, ConcurrentDictionary<EventKey, long> arrived) =>
        [.. committed.Where(c => arrived.ContainsKey(c.Key))
            .Select(c => Math.Max(0, (arrived[c.Key] - c.Value) * 1000.0 / Stopwatch.Frequency))];

    private static int Missing(ConcurrentDictionary<EventKey, long> committed, ConcurrentDictionary<EventKey, long> arrived) =>
        committed.Keys.Count(r => !arrived.ContainsKey(r));

    private sealed class BrokerQueue(IConnection connection, IChannel channel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static async Task<BrokerQueue> BrokerQueueAsync(HashSet<Guid> orgIds, ConcurrentDictionary<EventKey, long> arrivals)
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
                arrivals.TryAdd(new EventKey(orgId, message.GetProperty("memberId").GetGuid(), message.GetProperty("revision").GetInt64()), at);
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return new BrokerQueue(connection, channel);
    }
}
