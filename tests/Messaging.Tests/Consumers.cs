using System.Collections.Concurrent;
using MassTransit;

namespace TeamPlatform.Messaging.Tests;

/// <summary>The receiving service's idempotent consumer: records each note it handles.</summary>
public sealed class NoteWrittenConsumer(NotesDbContext db) : InboxConsumer<NoteWritten, NotesDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<NoteWritten> context)
    {
        Db.ReceivedNotes.Add(new ReceivedNote { NoteId = context.Message.NoteId });
        return Task.CompletedTask;
    }
}

public sealed class ArchiveNoteConsumer(NotesDbContext db) : InboxConsumer<ArchiveNote, NotesDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<ArchiveNote> context)
    {
        Db.ReceivedNotes.Add(new ReceivedNote { NoteId = context.Message.NoteId });
        return Task.CompletedTask;
    }
}

/// <summary>Counts raw deliveries, before any inbox: shows what the relay itself sent.</summary>
public sealed class DeliveryCounter : IConsumer<NoteWritten>
{
    public static ConcurrentDictionary<Guid, int> Deliveries { get; } = new();

    /// <summary>The bus instances (source addresses) that sent each note.</summary>
    public static ConcurrentDictionary<Guid, ConcurrentDictionary<string, byte>> Senders { get; } = new();

    public Task Consume(ConsumeContext<NoteWritten> context)
    {
        Deliveries.AddOrUpdate(context.Message.NoteId, 1, (_, count) => count + 1);
        Senders.GetOrAdd(context.Message.NoteId, _ => new ConcurrentDictionary<string, byte>())[context.SourceAddress?.ToString() ?? ""] = 0;
        return Task.CompletedTask;
    }
}
