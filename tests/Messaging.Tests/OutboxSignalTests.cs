using Microsoft.EntityFrameworkCore;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Messaging.Tests;

/// <summary>The relay is woken when outbox rows become visible to it, and not by commits that wrote none.</summary>
public sealed class OutboxSignalTests : IAsyncLifetime
{
    private readonly OutboxSignal _signal = new();
    private DbContextOptions<NotesDbContext> _options = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.Instance;
        _options = new DbContextOptionsBuilder<NotesDbContext>()
            .UseNpgsql(servers.NewDatabase("signal"))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(new OutboxCommitInterceptor(_signal))
            .Options;
        await using var db = new NotesDbContext(_options);
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Rows_written_in_a_transaction_wake_the_relay_at_its_commit_and_not_before()
    {
        await using var db = new NotesDbContext(_options);
        await using var transaction = await db.Database.BeginTransactionAsync();
        WriteNote(db, withEvent: true);
        await db.SaveChangesAsync();
        Assert.False(await WokenAsync(), "woken before the commit, when the relay cannot see the rows yet");

        await transaction.CommitAsync();
        Assert.True(await WokenAsync(), "not woken by the commit");
    }

    [Fact]
    public async Task Rows_saved_outside_a_transaction_wake_the_relay_once_saved()
    {
        await using var db = new NotesDbContext(_options);
        WriteNote(db, withEvent: true);
        await db.SaveChangesAsync();

        Assert.True(await WokenAsync());
    }

    [Fact]
    public async Task Commits_that_wrote_no_outbox_rows_and_a_rolled_back_one_that_did_leave_the_relay_asleep()
    {
        await using (var db = new NotesDbContext(_options))
        {
            WriteNote(db, withEvent: false);
            await db.SaveChangesAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            WriteNote(db, withEvent: false);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using (var db = new NotesDbContext(_options))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            WriteNote(db, withEvent: true);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.False(await WokenAsync());
    }

    [Fact]
    public async Task Rows_whose_save_failed_wake_the_relay_when_a_later_save_writes_them()
    {
        var taken = Guid.NewGuid();
        await using (var first = new NotesDbContext(_options))
        {
            first.Notes.Add(new Note { Id = taken, Text = "first" });
            await first.SaveChangesAsync();
        }

        await using var db = new NotesDbContext(_options);
        WriteNote(db, withEvent: true);
        var clash = new Note { Id = taken, Text = "clash" };
        db.Notes.Add(clash);
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.False(await WokenAsync());

        db.Entry(clash).State = EntityState.Detached;
        await db.SaveChangesAsync();
        Assert.True(await WokenAsync());
    }

    private static void WriteNote(NotesDbContext db, bool withEvent)
    {
        var note = new Note { Id = Guid.NewGuid(), Text = "hello" };
        db.Notes.Add(note);
        if (withEvent)
        {
            db.AddOutboxEvent(new NoteWritten(note.Id, note.Text, DateTimeOffset.UtcNow));
        }
    }

    private Task<bool> WokenAsync() => _signal.WaitAsync(TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);
}
