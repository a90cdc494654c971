using MassTransit;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Messaging.Tests;

/// <summary>A publishing and a consuming process shared by the tests of a collection; each test uses notes of its own.</summary>
public sealed class OutboxPair : IAsyncLifetime
{
    public MessagingHost Sender { get; private set; } = null!;

    public MessagingHost Receiver { get; private set; } = null!;

    public async Task InitializeAsync() => (Sender, Receiver) = await MessagingHost.PairAsync();

    public async Task DisposeAsync()
    {
        await Sender.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

[CollectionDefinition(nameof(OutboxCollection))]
public sealed class OutboxCollection : ICollectionFixture<OutboxPair>;

/// <summary>The transactional outbox and idempotent inbox, between two processes over the real broker.</summary>
[Collection(nameof(OutboxCollection))]
public sealed class OutboxTests(OutboxPair pair)
{
    private readonly MessagingHost _sender = pair.Sender;
    private readonly MessagingHost _receiver = pair.Receiver;

    [Fact]
    public async Task A_committed_event_reaches_the_other_service_exactly_once()
    {
        var noteId = await WriteNote(commit: true);

        await Eventually.Until(() => _receiver.ReceivedCount(noteId), count => count > 0, what: "the note to arrive");
        // The relay sends rows one batch at a time in the order they were committed: once a later note has arrived,
        // the first note's batch is over, and a second sending of it would have arrived before.
        var later = await WriteNote(commit: true);
        await Eventually.Until(() => _receiver.ReceivedCount(later), count => count > 0, what: "a later note to arrive");

        Assert.Equal(1, await _receiver.ReceivedCount(noteId));
        Assert.False(await _sender.OutboxHolds(noteId));
    }

    [Fact]
    public async Task A_rolled_back_change_publishes_nothing()
    {
        var noteId = await WriteNote(commit: false);
        var committed = await WriteNote(commit: true);

        // The committed note, written after, arrives: had the rolled-back one been published, it would have too.
        await Eventually.Until(() => _receiver.ReceivedCount(committed), count => count == 1, what: "the committed note");
        Assert.Equal(0, await _receiver.ReceivedCount(noteId));
        Assert.False(await _sender.InDatabase(db => db.Notes.AnyAsync(n => n.Id == noteId)));
    }

    [Fact]
    public async Task A_redelivered_message_changes_nothing()
    {
        var noteId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var message = new NoteWritten(noteId, "twice", DateTimeOffset.UtcNow);

        await _sender.Bus.Publish(message, context => context.MessageId = messageId);
        await _sender.Bus.Publish(message, context => context.MessageId = messageId);
        await Eventually.Until(() => Task.FromResult(_receiver.Handled(messageId)), handled => handled >= 2, what: "both deliveries handled");

        Assert.Equal(1, await _receiver.ReceivedCount(noteId));
    }

    [Fact]
    public async Task A_command_goes_to_its_queue_once_the_change_commits()
    {
        var noteId = Guid.NewGuid();
        await _sender.InDatabase(async db =>
        {
            db.Notes.Add(new Note { Id = noteId, Text = "archive me" });
            db.AddOutboxCommand(new ArchiveNote(noteId, DateTimeOffset.UtcNow), "receiver-commands");
            return await db.SaveChangesAsync();
        });

        await Eventually.Until(() => _receiver.ReceivedCount(noteId), count => count == 1, what: "the command");
    }

    [Fact]
    public async Task A_command_written_under_its_name_before_it_moved_is_still_sent()
    {
        var noteId = Guid.NewGuid();
        var formerName = $"{ArchiveNote.FormerNamespace}.{nameof(ArchiveNote)}, {ArchiveNote.FormerNamespace}";
        await _sender.InDatabase(async db =>
        {
            // The row as the build before the move wrote it: the same body under the type's old name.
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Notes.Add(new Note { Id = noteId, Text = "archive me later" });
            db.AddOutboxCommand(new ArchiveNote(noteId, DateTimeOffset.UtcNow), "receiver-commands");
            await db.SaveChangesAsync();
            var renamed = await db.Database.ExecuteSqlAsync(
                $"UPDATE outbox_messages SET message_type = {formerName} WHERE body::text LIKE {"%" + noteId + "%"}");
            Assert.Equal(1, renamed);
            await transaction.CommitAsync();
            return renamed;
        });

        await Eventually.Until(() => _receiver.ReceivedCount(noteId), count => count == 1, what: "the command written under its former name");
        Assert.DoesNotContain(_sender.Logs.Lines, line => line.Contains("unknown type", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Many_events_committed_together_all_arrive_once_each()
    {
        var ids = Enumerable.Range(0, 120).Select(_ => Guid.NewGuid()).ToList();
        await _sender.InDatabase(async db =>
        {
            foreach (var id in ids)
            {
                db.Notes.Add(new Note { Id = id, Text = "batch" });
                db.AddOutboxEvent(new NoteWritten(id, "batch", DateTimeOffset.UtcNow));
            }

            return await db.SaveChangesAsync();
        });

        var received = await Eventually.Until(
            () => _receiver.InDatabase(db => db.ReceivedNotes.Where(n => ids.Contains(n.NoteId)).CountAsync()),
            count => count >= ids.Count,
            what: "all 120 notes");
        Assert.Equal(ids.Count, received);
        Assert.Equal(0, await _sender.OutboxCount());
    }

    private async Task<Guid> WriteNote(bool commit)
    {
        var noteId = Guid.NewGuid();
        await _sender.InDatabase(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Notes.Add(new Note { Id = noteId, Text = "hello" });
            db.AddOutboxEvent(new NoteWritten(noteId, "hello", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            if (commit)
            {
                await transaction.CommitAsync();
            }
            else
            {
                await transaction.RollbackAsync();
            }

            return noteId;
        });
        return noteId;
    }
}
