using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Messaging.Tests;

/// <summary>
/// Stops the shared broker, so these run alone: after every other test of this project (a collection that
/// disables parallelisation), and in test.sh after every other project (<c>Category=BrokerOutage</c>).
/// </summary>
[Trait("Category", "BrokerOutage")]
[Collection(nameof(BrokerOutageCollection))]
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task An_event_committed_while_the_broker_is_down_arrives_exactly_once_when_it_returns()
    {
        var servers = await TestServers.Instance;
        var (sender, receiver) = await MessagingHost.PairAsync();
        await using var _ = sender;
        await using var __ = receiver;
        var noteId = Guid.NewGuid();

        await servers.StopBrokerAsync();
        try
        {
            await sender.InDatabase(async db =>
            {
                db.Notes.Add(new Note { Id = noteId, Text = "while the broker is down" });
                db.AddOutboxEvent(new NoteWritten(noteId, "while the broker is down", DateTimeOffset.UtcNow));
                return await db.SaveChangesAsync();
            });

            // The change is committed and the event waits in the outbox while relay attempts fail.
            await Eventually.Until(() => Task.FromResult(sender.RelayFailuresInARow()), failures => failures >= 1, TimeSpan.FromSeconds(30), "a relay attempt to fail");
            Assert.Equal(1, await sender.OutboxCount());
            Assert.Equal(0, await receiver.ReceivedCount(noteId));
        }
        finally
        {
            await servers.StartBrokerAsync();
        }

        await Eventually.Until(() => receiver.ReceivedCount(noteId), count => count > 0, TimeSpan.FromSeconds(90), "the note after the broker returned");
        await Eventually.Until(sender.OutboxCount, count => count == 0, TimeSpan.FromSeconds(30), "the outbox to empty");
        // The relay sends rows in the order they were committed: once a later note has arrived, a second sending of
        // the first would have arrived before it.
        var later = Guid.NewGuid();
        await sender.InDatabase(db =>
        {
            db.AddOutboxEvent(new NoteWritten(later, "after the broker returned", DateTimeOffset.UtcNow));
            return db.SaveChangesAsync();
        });
        await Eventually.Until(() => receiver.ReceivedCount(later), count => count > 0, TimeSpan.FromSeconds(30), "a later note");
        Assert.Equal(1, await receiver.ReceivedCount(noteId));
    }
}

[CollectionDefinition(nameof(BrokerOutageCollection), DisableParallelization = true)]
public sealed class BrokerOutageCollection;
