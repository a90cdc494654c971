using Microsoft.EntityFrameworkCore;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Messaging.Tests;

public sealed class RelayConcurrencyTests
{
    [Fact]
    public async Task Two_replicas_relaying_one_outbox_never_both_send_a_row()
    {
        var servers = await TestServers.Instance;
        var broker = await servers.NewVirtualHostAsync();
        var database = servers.NewDatabase("replicas");
        await using var counter = await MessagingHost.StartAsync("counter", servers.NewDatabase("counter"), broker,
            bus => bus.AddConsumer<DeliveryCounter>());
        // A publish that times out is sent again, possibly by the other replica: legitimate at least once, but not
        // the claim under test. On a loaded machine confirmations can take seconds, so the timeout is generous.
        await using var first = await MessagingHost.StartAsync("sender", database, broker, publishTimeout: TimeSpan.FromSeconds(60));
        await using var second = await MessagingHost.StartAsync("sender", database, broker, publishTimeout: TimeSpan.FromSeconds(60));

        var ids = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        var writes = ids.Select((id, index) => (index % 2 == 0 ? first : second).InDatabase(async db =>
        {
            db.Notes.Add(new Note { Id = id, Text = "replica" });
            db.AddOutboxEvent(new NoteWritten(id, "replica", DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        }));
        await Task.WhenAll(writes);

        await Eventually.Until(() => Task.FromResult(ids.Count(DeliveryCounter.Deliveries.ContainsKey)), count => count == ids.Count,
            what: "every row delivered");
        await Eventually.Until(first.OutboxCount, count => count == 0, what: "the outbox to empty");
        // Each replica relays one batch at a time: once each has relayed a row written after the outbox emptied, any
        // row it had sent besides the other replica has been sent too.
        await RelayedLaterByAsync(first);
        await RelayedLaterByAsync(second);

        // The claim under test: no row is relayed by both replicas. The relay promises at least once, not exactly
        // once (a publish whose confirmation is lost is sent again); inboxes absorb that, and such repeats must stay rare.
        Assert.All(ids, id => Assert.Single(DeliveryCounter.Senders[id].Keys));
        Assert.True(ids.Select(id => DeliveryCounter.Senders[id].Keys.Single()).Distinct().Count() == 2,
            "both replicas relay a share of the rows, each under its own source address");
        Assert.True(ids.Count(id => DeliveryCounter.Deliveries[id] > 1) <= ids.Count / 20, "repeats stay rare");
    }

    [Fact]
    public async Task A_row_that_fails_mid_batch_does_not_send_again_the_rows_the_broker_confirmed_before_or_after_it()
    {
        var servers = await TestServers.Instance;
        var broker = await servers.NewVirtualHostAsync();
        await using var counter = await MessagingHost.StartAsync("counter", servers.NewDatabase("counter"), broker,
            bus => bus.AddConsumer<DeliveryCounter>());
        await using var sender = await MessagingHost.StartAsync("sender", servers.NewDatabase("poisoned"), broker);
        var (before, unreadable, after) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        // One batch: a good row, a row no build can read (its body does not fit the type), a good row, committed together.
        // The three are published without waiting for each other, so the broker confirms both good rows.
        await sender.InDatabase(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.AddOutboxEvent(new NoteWritten(before, "good", DateTimeOffset.UtcNow));
            db.AddOutboxEvent(new NoteWritten(unreadable, "poisoned", DateTimeOffset.UtcNow));
            db.AddOutboxEvent(new NoteWritten(after, "good too", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlAsync(
                $"UPDATE outbox_messages SET body = '{{\"noteId\": \"not a guid\"}}'::jsonb WHERE body->>'noteId' = {unreadable.ToString()}");
            await transaction.CommitAsync();
            return 0;
        });

        await Eventually.Until(() => Task.FromResult(DeliveryCounter.Deliveries.ContainsKey(before) && DeliveryCounter.Deliveries.ContainsKey(after)),
            delivered => delivered, what: "both good rows delivered");
        await Eventually.Until(() => Task.FromResult(sender.RelayFailuresInARow()), failures => failures >= 4, what: "several retries of the unreadable row");

        Assert.Equal((1, 1), (DeliveryCounter.Deliveries[before], DeliveryCounter.Deliveries[after]));
        Assert.Equal(1, await sender.OutboxCount());
    }

    /// <summary>Writes a row through <paramref name="replica"/> until that replica is the one that relays it.</summary>
    private static Task<string> RelayedLaterByAsync(MessagingHost replica) => Eventually.Until(
        async () =>
        {
            var marker = Guid.NewGuid();
            await replica.InDatabase(db =>
            {
                db.AddOutboxEvent(new NoteWritten(marker, "marker", DateTimeOffset.UtcNow));
                return db.SaveChangesAsync();
            });
            await Eventually.Until(() => Task.FromResult(DeliveryCounter.Senders.ContainsKey(marker)), delivered => delivered, what: "the marker delivered");
            return DeliveryCounter.Senders[marker].Keys.Single();
        },
        sender => sender == replica.Bus.Address.ToString(),
        what: "a row relayed by the replica it was written through");

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(4, 800)]
    [InlineData(30, 5000)]
    public void Retry_delay_doubles_up_to_the_cap(int failures, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), OutboxRelay<NotesDbContext>.RetryDelay(failures, TimeSpan.FromSeconds(5)));
}
