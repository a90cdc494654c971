using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TeamPlatform.Messaging;

/// <summary>
/// Moves committed outbox rows to RabbitMQ, oldest first, and deletes them once the broker confirms.
/// Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>, so replicas of a service never relay the same row.
/// A crash between the confirmation and the delete relays a row twice; consumers' inboxes absorb that.
/// </summary>
internal sealed partial class OutboxRelay<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IBus bus,
    OutboxSignal signal,
    OutboxTypes types,
    MessagingMetrics metrics,
    IOptions<MessagingOptions> options,
    ILogger<OutboxRelay<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    internal static readonly ActivitySource ActivitySource = new("TeamPlatform.Messaging");

    // Deliberately the real clock, not the service's TimeProvider: publish timeouts, polling and back-off are
    // about the broker, and a test that moves a fake clock forward must not cancel a publish in flight.
    private static readonly TimeProvider Time = TimeProvider.System;

    // A full batch says only "at least this many wait"; the exact count is asked for no more often than this.
    private static readonly TimeSpan BacklogCountInterval = TimeSpan.FromSeconds(5);

    private DateTimeOffset _nextInboxCleanup = DateTimeOffset.MinValue;
    private DateTimeOffset _nextBacklogCount = DateTimeOffset.MinValue;
    private long _backlog;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RelayBatchAsync(stoppingToken) == options.Value.OutboxBatchSize)
                {
                }

                if (failures > 0)
                {
                    LogRecovered(logger, failures);
                    failures = 0;
                }

                await CleanInboxIfDueAsync(stoppingToken);
                await signal.WaitAsync(options.Value.OutboxPollInterval, Time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                var delay = RetryDelay(failures, options.Value.MaxRetryDelay);
                LogRelayFailed(logger, exception, failures, delay.TotalMilliseconds);
                if (!await PauseAsync(delay, stoppingToken))
                {
                    return;
                }
            }
        }
    }

    private static async Task<bool> PauseAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, Time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    internal static TimeSpan RetryDelay(int failures, TimeSpan max)
    {
        var milliseconds = 100 * Math.Pow(2, Math.Min(failures - 1, 16));
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, max.TotalMilliseconds));
    }

    /// <summary>Relays one batch in one transaction; returns how many rows it relayed.</summary>
    internal async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var batch = await db.Set<OutboxMessage>()
            .FromSql($"SELECT * FROM outbox_messages ORDER BY sequence LIMIT {options.Value.OutboxBatchSize} FOR UPDATE SKIP LOCKED")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            metrics.OutboxSeen(oldestWaiting: null, backlog: 0);
            return 0;
        }

        metrics.OutboxSeen(batch[0].CreatedAt, await BacklogAsync(db, batch.Count, cancellationToken));

        // Each row is published without waiting for the confirmation of the one before it: the batch waits for the
        // broker about once, not once per row (docs/decisions/0001).
        var publishes = new List<Task>(batch.Count);
        foreach (var message in batch)
        {
            publishes.Add(RelayAsync(message, cancellationToken));
        }

        try
        {
            await Task.WhenAll(publishes);
        }
        catch
        {
            // The rows the broker confirmed are kept from being sent again by the retry.
            var confirmed = batch.Where((_, i) => publishes[i].IsCompletedSuccessfully).Select(m => m.Sequence).ToList();
            if (confirmed.Count > 0)
            {
                await DeleteAsync(db, confirmed, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }

            throw;
        }

        await DeleteAsync(db, [.. batch.Select(m => m.Sequence)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (batch.Count < options.Value.OutboxBatchSize)
        {
            metrics.OutboxSeen(oldestWaiting: null, backlog: 0);
        }

        return batch.Count;
    }

    private async Task<long> BacklogAsync(TDbContext db, int claimed, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (claimed < options.Value.OutboxBatchSize)
        {
            _backlog = claimed;
        }
        else if (now >= _nextBacklogCount)
        {
            _nextBacklogCount = now + BacklogCountInterval;
            _backlog = await db.Set<OutboxMessage>().LongCountAsync(cancellationToken);
        }

        return Math.Max(_backlog, claimed);
    }

    private static Task<int> DeleteAsync(TDbContext db, List<long> sequences, CancellationToken cancellationToken) =>
        db.Set<OutboxMessage>().Where(m => sequences.Contains(m.Sequence)).ExecuteDeleteAsync(cancellationToken);

    private async Task RelayAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var type = types.Resolve(message.MessageType);
        if (type is null)
        {
            // A row no build of this service can read would block every row behind it.
            LogUnknownType(logger, message.MessageType, message.MessageId);
            return;
        }

        var body = JsonSerializer.Deserialize(message.Body, type, Outbox.SerializerOptions)!;
        using var activity = ActivitySource.StartActivity("outbox relay", ActivityKind.Producer, message.TraceParent);
        activity?.SetTag("messaging.message.id", message.MessageId);
        using var timeout = new CancellationTokenSource(options.Value.PublishTimeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);

        if (message.Destination is null)
        {
            await bus.Publish(body, type, context => context.MessageId = message.MessageId, linked.Token);
        }
        else
        {
            // Rows written before the quorum queues name the classic queue; the address maps both to the quorum queue.
            var endpoint = await bus.GetSendEndpoint(QueueNames.CommandAddress(message.Destination));
            await endpoint.Send(body, type, context =>
            {
                context.MessageId = message.MessageId;
                QueueNames.Mandatory(context);
            }, linked.Token);
        }
    }

    private async Task CleanInboxIfDueAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (now < _nextInboxCleanup)
        {
            return;
        }

        _nextInboxCleanup = now.AddHours(1);
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var cutoff = now - options.Value.InboxRetention;
        await db.Set<InboxMessage>().Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed ({Failures} in a row); retrying in {DelayMs} ms")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, int failures, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay recovered after {Failures} failed attempts")]
    private static partial void LogRecovered(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} has unknown type {MessageType}; dropped")]
    private static partial void LogUnknownType(ILogger logger, string messageType, Guid messageId);
}
