using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace TeamPlatform.Messaging;

/// <summary>
/// Signals the relay when outbox rows become visible: after a SaveChanges that wrote some outside a transaction, or at
/// the commit of a transaction one of whose SaveChanges wrote some. Commits that write none (an inbox row, a lease, the
/// relay's own deletes) leave the relay asleep: waking it for each cost an empty round trip to the database apiece,
/// several per change under load.
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    private static readonly object Mark = new();

    // Contexts given outbox rows not saved yet (marked by Outbox), saves under way that carry some, and transactions
    // holding some not committed yet. Weak: a context or transaction dropped half-way takes its mark with it.
    private static readonly ConditionalWeakTable<DbContext, object> Given = [];
    private readonly ConditionalWeakTable<object, object> _carrying = [];

    /// <summary>Notes that <paramref name="db"/> holds outbox rows its next SaveChanges writes.</summary>
    internal static void OutboxRowsAdded(DbContext db) => Given.AddOrUpdate(db, Mark);

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Failed(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _carrying.Remove(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _carrying.Remove(transaction);
        return Task.CompletedTask;
    }

    // Inside an explicit transaction the rows become visible at its commit; otherwise when the save is done.
    private void Saving(DbContext? context)
    {
        if (context is not null && Given.Remove(context))
        {
            _carrying.AddOrUpdate(context.Database.CurrentTransaction?.GetDbTransaction() ?? (object)context, Mark);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && _carrying.Remove(context))
        {
            signal.Notify();
        }
    }

    // The rows are still in the context, added: its next SaveChanges writes them.
    private void Failed(DbContext? context)
    {
        if (context is not null && _carrying.Remove(context))
        {
            Given.AddOrUpdate(context, Mark);
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_carrying.Remove(transaction))
        {
            signal.Notify();
        }
    }
}
