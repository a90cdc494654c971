using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Messaging.Tests;

/// <summary>Durable shared queues are quorum queues under new names; the classic queues they replace are retired.</summary>
public sealed class QuorumQueueTests
{
    private const string OldQueue = "receiver-note-written";
    private const string NewQueue = "receiver-note-written-quorum";

    [Fact]
    public async Task Shared_queues_are_quorum_per_instance_queues_classic_and_an_event_arrives_through_the_quorum_queue()
    {
        var servers = await TestServers.Instance;
        var broker = await servers.NewVirtualHostAsync();
        await using var receiver = await MessagingHost.StartAsync("receiver", servers.NewDatabase("receiver"), broker, bus =>
        {
            bus.AddConsumer<NoteWrittenConsumer>();
            bus.AddPerInstanceConsumer<DeliveryCounter>("receiver", "replica1");
        });
        await using var sender = await MessagingHost.StartAsync("sender", servers.NewDatabase("sender"), broker);

        // The management API lists a queue a moment after it is declared.
        var queues = (await Eventually.Until(() => servers.QueuesAsync(broker),
                listed => listed.Any(q => q.Name == NewQueue) && listed.Any(q => q.Name == "receiver-delivery-counter-replica1"), what: "both queues listed"))
            .ToDictionary(q => q.Name);
        Assert.Equal("quorum", queues[NewQueue].Type);
        Assert.Equal("classic", queues["receiver-delivery-counter-replica1"].Type);
        Assert.DoesNotContain(OldQueue, queues.Keys);

        var noteId = Guid.NewGuid();
        await sender.InDatabase(async db =>
        {
            db.Notes.Add(new Note { Id = noteId, Text = "through the quorum queue" });
            db.AddOutboxEvent(new NoteWritten(noteId, "through the quorum queue", DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        });

        await Eventually.Until(() => receiver.ReceivedCount(noteId), count => count == 1, what: "the note through the quorum queue");
        // At least once: the per-instance consumer keeps no inbox, and a relay whose confirmation came late sends again
        // (as the relay's own tests allow, rarely). The inbox above is what makes the effect happen once.
        await Eventually.Until(() => Task.FromResult(DeliveryCounter.Deliveries.GetValueOrDefault(noteId)), count => count >= 1,
            what: "the note on the per-instance queue");
    }

    [Fact]
    public async Task Messages_waiting_in_the_old_classic_queue_are_consumed_once_through_the_quorum_queue_and_the_old_queue_is_deleted()
    {
        var servers = await TestServers.Instance;
        var broker = await servers.NewVirtualHostAsync();
        await DeclareAsTheClassicVersionDid(broker);

        // Events published while the service is being upgraded: they wait in the old classic queue.
        var waiting = Enumerable.Range(0, 20).Select(_ => (NoteId: Guid.NewGuid(), MessageId: NewId.NextGuid())).ToList();
        await using (var publisher = await TestBus.StartAsync(broker))
        {
            foreach (var (noteId, messageId) in waiting)
            {
                await publisher.Publish(new NoteWritten(noteId, "waiting", DateTimeOffset.UtcNow), messageId);
            }
        }

        var old = (await servers.QueuesAsync(broker)).Single(q => q.Name == OldQueue);
        Assert.Equal("classic", old.Type);
        await Eventually.Until(async () => (await servers.QueuesAsync(broker)).Single(q => q.Name == OldQueue).Messages,
            messages => messages == waiting.Count, what: "the waiting events in the old queue");

        // Two replicas of the new version start at once: both try to retire the old queue.
        var database = servers.NewDatabase("receiver");
        var replicas = await Task.WhenAll(
            MessagingHost.StartAsync("receiver", database, broker, bus => bus.AddConsumer<NoteWrittenConsumer>()),
            MessagingHost.StartAsync("receiver", database, broker, bus => bus.AddConsumer<NoteWrittenConsumer>()));
        try
        {
            foreach (var (noteId, _) in waiting)
            {
                await Eventually.Until(() => replicas[0].ReceivedCount(noteId), count => count == 1, what: "a waiting note");
            }

            await Eventually.Until(async () => (await servers.QueuesAsync(broker)).Select(q => q.Name).ToList(),
                names => !names.Contains(OldQueue) && !names.Contains(OldQueue + "_error"), what: "the old queues to go");

            // Each waiting event was delivered once in all: moved, not copied. (A consumer's delivery is counted once the
            // consumer returns, a moment after its row is committed and seen above.)
            foreach (var (_, messageId) in waiting)
            {
                Assert.Equal(1, await HandledOnceAsync(replicas, messageId));
            }

            var queues = (await servers.QueuesAsync(broker)).ToDictionary(q => q.Name);
            Assert.Equal("quorum", queues[NewQueue].Type);
            Assert.Equal("quorum", queues[NewQueue + "_error"].Type);
            // The fault waiting in the old error queue was moved, not lost (the management API counts a new queue a moment later).
            await Eventually.Until(async () => (await servers.QueuesAsync(broker)).Single(q => q.Name == NewQueue + "_error").Messages,
                messages => messages == 1, what: "the fault in the quorum error queue");
            var exchanges = await servers.ExchangeNamesAsync(broker);
            Assert.DoesNotContain(OldQueue, exchanges);
            Assert.DoesNotContain(OldQueue + "_error", exchanges);

            // An event published now reaches the service once: no copy goes anywhere else.
            var later = (NoteId: Guid.NewGuid(), MessageId: NewId.NextGuid());
            await using (var publisher = await TestBus.StartAsync(broker))
            {
                await publisher.Publish(new NoteWritten(later.NoteId, "later", DateTimeOffset.UtcNow), later.MessageId);
            }

            await Eventually.Until(() => replicas[0].ReceivedCount(later.NoteId), count => count == 1, what: "the later note");
            Assert.Equal(1, await HandledOnceAsync(replicas, later.MessageId));
            Assert.DoesNotContain(OldQueue, (await servers.QueuesAsync(broker)).Select(q => q.Name));
        }
        finally
        {
            await replicas[0].DisposeAsync();
            await replicas[1].DisposeAsync();
        }

        // A later start finds nothing to retire and leaves the quorum queues as they are.
        await using var restarted = await MessagingHost.StartAsync("receiver", database, broker, bus => bus.AddConsumer<NoteWrittenConsumer>());
        var retirement = restarted.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ClassicQueueRetirement>().Single();
        Assert.Equal(0, await retirement.RetireAllAsync(CancellationToken.None));
        var after = (await servers.QueuesAsync(broker)).ToDictionary(q => q.Name);
        Assert.Equal(1, after[NewQueue + "_error"].Messages ?? 1);
        Assert.DoesNotContain(OldQueue, after.Keys);
    }

    /// <summary>
    /// The classic version's topology: its receive endpoint declared (queue, exchange, bindings) by MassTransit with
    /// the classic name, then stopped, and one faulted message left in its error queue.
    /// </summary>
    private static async Task DeclareAsTheClassicVersionDid(string broker)
    {
        var classic = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(broker));
            rabbit.ReceiveEndpoint(OldQueue, endpoint => endpoint.Handler<NoteWritten>(_ => throw new InvalidOperationException("a fault")));
        });
        await classic.StartAsync();
        try
        {
            await using var publisher = await TestBus.StartAsync(broker);
            await publisher.Publish(new NoteWritten(Guid.NewGuid(), "faults", DateTimeOffset.UtcNow));
            var servers = await TestServers.Instance;
            await Eventually.Until(async () => (await servers.QueuesAsync(broker)).FirstOrDefault(q => q.Name == OldQueue + "_error")?.Messages,
                messages => messages == 1, what: "the fault in the old error queue");
        }
        finally
        {
            await classic.StopAsync();
        }
    }

    /// <summary>How many deliveries of the message the replicas finished with, once at least one has (or after the wait).</summary>
    private static async Task<int> HandledOnceAsync(MessagingHost[] replicas, Guid messageId)
    {
        try
        {
            return await Eventually.Until(() => Task.FromResult(replicas.Sum(r => r.Handled(messageId))), handled => handled >= 1, TimeSpan.FromSeconds(5), "the delivery counted");
        }
        catch (TimeoutException)
        {
            return 0;
        }
    }
}
