using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Messaging.Tests;

public sealed class RelayConcurrencyTests
{
    [Fact]
    public async Task Two_replicas_relaying_one_outbox_send_each_row_once()
    {
        var servers = await TestServers.Instance;
        var broker = await servers.NewVirtualHostAsync();
        var database = servers.NewDatabase("replicas");
        await using var counter = await MessagingHost.StartAsync("counter", servers.NewDatabase("counter"), broker,
            bus => bus.AddConsumer<DeliveryCounter>());
        await using var first = await MessagingHost.StartAsync("sender", database, broker);
        await using var second = await MessagingHost.StartAsync("sender", database, broker);

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
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.All(ids, id => Assert.Equal(1, DeliveryCounter.Deliveries[id]));
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(4, 800)]
    [InlineData(30, 5000)]
    public void Retry_delay_doubles_up_to_the_cap(int failures, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), OutboxRelay<NotesDbContext>.RetryDelay(failures, TimeSpan.FromSeconds(5)));
}
