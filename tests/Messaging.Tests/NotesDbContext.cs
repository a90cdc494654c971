using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TeamPlatform.Messaging.Tests;

/// <summary>A stand-in for a service's database: notes written on one side, notes received on the other.</summary>
public sealed class NotesDbContext(DbContextOptions<NotesDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "notesdb";

    public DbSet<Note> Notes => Set<Note>();

    public DbSet<ReceivedNote> ReceivedNotes => Set<ReceivedNote>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.Entity<Note>().HasKey(n => n.Id);
        // No unique key on NoteId: a second handling of the same event would show as a second row.
        modelBuilder.Entity<ReceivedNote>().HasKey(n => n.Id);
    }
}

public sealed class Note
{
    public Guid Id { get; set; }

    public string Text { get; set; } = "";
}

public sealed class ReceivedNote
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid NoteId { get; set; }
}

public sealed record NoteWritten(Guid NoteId, string Text, DateTimeOffset OccurredAt);

/// <summary>A command that moved here from <c>TeamPlatform.Messaging.Tests.Before</c>, keeping the urn it had there.</summary>
[MessageUrn(FormerNamespace + ":" + nameof(ArchiveNote))]
public sealed record ArchiveNote(Guid NoteId, DateTimeOffset OccurredAt)
{
    public const string FormerNamespace = "TeamPlatform.Messaging.Tests.Before";
}

internal sealed class DesignTimeNotesDbContextFactory : IDesignTimeDbContextFactory<NotesDbContext>
{
    public NotesDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<NotesDbContext>()
        .UseNpgsql("Host=localhost;Database=notes")
        .UseSnakeCaseNamingConvention()
        .Options);
}
