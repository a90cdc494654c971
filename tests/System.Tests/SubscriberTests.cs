using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;
using Xunit;
using Xunit.Abstractions;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>
/// The sample subscriber (docs/events.md#a-sample-subscriber), built against the packed contracts and started beside the
/// system, keeps a table of members equal to the API's list through joins, approvals, blocks and removals, processes a
/// redelivered event once and discards a stale one.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class SubscriberTests(EveryProcessTwiceSystemFixture system, ITestOutputHelper output)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task The_sample_subscribers_table_equals_the_member_list_and_ignores_redeliveries_and_stale_events()
    {
        var servers = await TestServers.Instance;
        // A system already running (TP_GATEWAY_URL, under ./run.sh) publishes on the broker's default virtual host.
        var broker = system.BrokerAddress is { Length: > 0 } address ? address : servers.RabbitMq.ToString();
        await using var sample = await SampleSubscriberProcess.StartAsync(servers, broker);
        try
        {
            output.WriteLine($"packing the contracts and building the sample took {sample.BuildTime.TotalSeconds:F1} s");
            await using var recorder = await AccessChangeRecorder.StartAsync(broker);

            var script = Stopwatch.StartNew();
            var org = await _api.CreateOrganisationAsync();
            var secondAdmin = await _api.RegisterAsync(org.Slug);
            var unblocked = await _api.RegisterAsync(org.Slug);
            var removed = await _api.RegisterAsync(org.Slug);
            var waiting = await _api.RegisterAsync(org.Slug);
            Assert.Equal(("active", true), (secondAdmin.Status, secondAdmin.IsAdmin));
            Assert.All([unblocked, removed, waiting], member => Assert.Equal("pending_approval", member.Status));

            await ChangeAccessAsync(org, unblocked, new { role = "manager", isAdmin = true });
            await ChangeAccessAsync(org, removed, new { role = "manager" });
            await ChangeAccessAsync(org, unblocked, new { role = "none" });
            await ChangeAccessAsync(org, unblocked, new { role = "manager" });
            await Expect(await _api.SendAs(org.Creator, HttpMethod.Delete, $"/api/members/{removed.MemberId}"), HttpStatusCode.OK);

            var members = await MemberListAsync(org);
            Assert.Equal(5, members.Count);
            Assert.Equal(("active", "manager"), (members[unblocked.MemberId].Status, members[unblocked.MemberId].Role));
            Assert.Equal("removed", members[removed.MemberId].Status);
            Assert.Equal("pending_approval", members[waiting.MemberId].Status);
            output.WriteLine($"the script through the gateway took {script.Elapsed.TotalSeconds:F1} s");
            var table = await Eventually.Until(
                () => TableAsync(sample, org.OrgId),
                rows => rows.Count == members.Count && rows.All(row => members.GetValueOrDefault(row.Key) == row.Value),
                TimeSpan.FromSeconds(30),
                $"the sample's table to equal the member list {string.Join(", ", members)}");
            Assert.Equal(members, table);
            output.WriteLine($"the sample's table was equal {script.Elapsed.TotalSeconds:F1} s after the script began");

            // A redelivery: the unblocking again, under the messageId it was published with (to the sample's queue alone).
            var unblocking = await recorder.WaitForAsync(e => e.Message.MemberId == unblocked.MemberId && e.Message.Status == "active"
                                                              && e.Message.PreviousStatus == "blocked");
            var processed = await sample.ProcessedMessagesAsync();
            await recorder.SendToAsync(SampleSubscriberProcess.Queue, unblocking.Message, unblocking.MessageId);
            await WaitForOutcomeAsync(sample, unblocking.MessageId, "Duplicate");
            Assert.Equal(processed, await sample.ProcessedMessagesAsync());

            // A stale fact: the blocking that the unblocking superseded, under a new messageId (so that only its revision
            // can stop it). It is processed, and changes nothing.
            var blocking = await recorder.WaitForAsync(e => e.Message.MemberId == unblocked.MemberId && e.Message.Status == "blocked");
            Assert.True(blocking.Message.Revision < unblocking.Message.Revision);
            var again = NewId.NextGuid();
            await recorder.SendToAsync(SampleSubscriberProcess.Queue, blocking.Message, again);
            await WaitForOutcomeAsync(sample, again, "Stale");
            Assert.Equal(processed + 1, await sample.ProcessedMessagesAsync());

            Assert.Equal(members, await TableAsync(sample, org.OrgId));
        }
        finally
        {
            // What the sample did with each event (ids and outcomes), for the reader of a failure.
            foreach (var line in sample.Output)
            {
                output.WriteLine(line);
            }
        }
    }

    private async Task ChangeAccessAsync(TeamPlatformClient.Org org, Member member, object access) =>
        await Expect(await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access", access), HttpStatusCode.OK);

    /// <summary>Every member by id, the removed ones included (the list shows them only when asked).</summary>
    private async Task<Dictionary<Guid, MemberState>> MemberListAsync(TeamPlatformClient.Org org)
    {
        var listed = await _api.GetJson(org.Creator, "/api/members?pageSize=200");
        var removed = await _api.GetJson(org.Creator, "/api/members?status=removed&pageSize=200");
        return listed.GetProperty("items").EnumerateArray().Concat(removed.GetProperty("items").EnumerateArray())
            .ToDictionary(
                m => m.GetProperty("id").GetGuid(),
                m => new MemberState(m.GetProperty("status").GetString()!, m.GetProperty("role").GetString()!, m.GetProperty("isAdmin").GetBoolean()));
    }

    private static async Task<Dictionary<Guid, MemberState>> TableAsync(SampleSubscriberProcess sample, Guid orgId)
    {
        var rows = await sample.Http.GetFromJsonAsync<JsonElement>($"/members?orgId={orgId}");
        return rows.EnumerateArray().ToDictionary(
            r => r.GetProperty("memberId").GetGuid(),
            r => new MemberState(r.GetProperty("status").GetString()!, r.GetProperty("role").GetString()!, r.GetProperty("isAdmin").GetBoolean()));
    }

    /// <summary>Waits for the sample's log line of what it did with one message (<c>… {messageId} at revision N: Stale</c>).</summary>
    private static async Task WaitForOutcomeAsync(SampleSubscriberProcess sample, Guid messageId, string outcome) =>
        await Eventually.Until(
            () => Task.FromResult(sample.Output.Any(line => line.Contains(messageId.ToString(), StringComparison.Ordinal) && line.EndsWith($": {outcome}", StringComparison.Ordinal))),
            found => found,
            TimeSpan.FromSeconds(15),
            $"the sample to log {outcome} for message {messageId}");

    private sealed record MemberState(string Status, string Role, bool IsAdmin);

    /// <summary>
    /// Every <see cref="MemberAccessChanged"/> the system publishes, with its messageId, on a queue of the test's own; and a
    /// way to deliver one again to another queue alone.
    /// </summary>
    private sealed class AccessChangeRecorder(IBusControl bus, ConcurrentQueue<(Guid MessageId, MemberAccessChanged Message)> received) : IAsyncDisposable
    {
        public static async Task<AccessChangeRecorder> StartAsync(string broker)
        {
            var received = new ConcurrentQueue<(Guid, MemberAccessChanged)>();
            var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
            {
                rabbit.Host(new Uri(broker));
                rabbit.ReceiveEndpoint("subscriber-tests-recorder", endpoint =>
                {
                    endpoint.AutoDelete = true;
                    endpoint.Durable = false;
                    endpoint.Handler<MemberAccessChanged>(context =>
                    {
                        received.Enqueue((context.MessageId!.Value, context.Message));
                        return Task.CompletedTask;
                    });
                });
            });
            await bus.StartAsync();
            return new AccessChangeRecorder(bus, received);
        }

        public Task<(Guid MessageId, MemberAccessChanged Message)> WaitForAsync(Func<(Guid MessageId, MemberAccessChanged Message), bool> match) =>
            Eventually.Until(
                () => Task.FromResult(received.FirstOrDefault(match)),
                found => found.Message is not null,
                TimeSpan.FromSeconds(15),
                "a recorded MemberAccessChanged");

        public async Task SendToAsync(string queue, MemberAccessChanged message, Guid messageId)
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
            await endpoint.Send(message, context => context.MessageId = messageId);
        }

        public async ValueTask DisposeAsync() => await bus.StopAsync();
    }
}
