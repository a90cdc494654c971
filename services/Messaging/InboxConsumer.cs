using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TeamPlatform.Messaging;

/// <summary>
/// A consumer whose effects happen at most once per message id: the inbox row, the handler's changes and
/// any outbox rows it adds commit in one transaction. A redelivered message finds its row and changes nothing;
/// two deliveries racing each other serialise on the row's primary key.
/// </summary>
public abstract class InboxConsumer<TMessage, TDbContext>(TDbContext db) : IConsumer<TMessage>
    where TMessage : class
    where TDbContext : DbContext
{
    protected TDbContext Db { get; } = db;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
        var consumer = InboxName;
        var cancellationToken = context.CancellationToken;

        await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
        var first = await Db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES ({messageId}, {consumer}, now()) ON CONFLICT DO NOTHING",
            cancellationToken) == 1;
        if (!first)
        {
            if (context.TryGetPayload<IServiceProvider>(out var services))
            {
                services.GetService<MessagingMetrics>()?.DuplicateDropped(GetType().Name);
            }

            return;
        }

        await HandleAsync(context);
        await Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Committed();
    }

    /// <summary>The consumer's name in the inbox: with the message id, what makes a delivery a repeat.</summary>
    protected virtual string InboxName => GetType().FullName!;

    /// <summary>Runs once the message's effects are committed (to wake whatever works on them).</summary>
    protected virtual void Committed()
    {
    }

    /// <summary>Applies the message to <see cref="Db"/>; the base class saves and commits.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);
}
