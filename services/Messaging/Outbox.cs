using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace TeamPlatform.Messaging;

/// <summary>
/// Adds messages to a unit of work. Nothing leaves the process until <c>SaveChanges</c> commits:
/// a rolled-back change publishes nothing, and a committed one is relayed even if the broker is down now.
/// </summary>
public static class Outbox
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Publishes <paramref name="message"/> to every subscriber once the change commits.</summary>
    public static void AddOutboxEvent<T>(this DbContext db, T message) where T : class =>
        Add(db, OutboxMessage.Create(message, destination: null, Serialize(message), Activity.Current?.Id));

    /// <summary>Sends <paramref name="command"/> to one queue once the change commits.</summary>
    public static void AddOutboxCommand<T>(this DbContext db, T command, string queue) where T : class =>
        Add(db, OutboxMessage.Create(command, queue, Serialize(command), Activity.Current?.Id));

    private static void Add(DbContext db, OutboxMessage message)
    {
        db.Add(message);
        OutboxCommitInterceptor.OutboxRowsAdded(db);
    }

    private static string Serialize<T>(T message) => JsonSerializer.Serialize(message, message!.GetType(), SerializerOptions);
}
