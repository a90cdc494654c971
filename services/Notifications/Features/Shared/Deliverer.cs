using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// Takes the next entry that needs work (an attempt due, a receipt overdue, or WhatsApp's time up) and does it. The
/// entry is claimed under its row lock, so replicas never work on the same one. An attempt is committed before the
/// provider is called and its result after (decision 0404): a crash before the first commit leaves the entry due and
/// it is sent again; a crash during the call leaves an attempt with no result, whose receipt decides. Only the
/// development channel, whose sending is a write, does it all in one transaction.
/// </summary>
public sealed partial class Deliverer(
    NotificationDbContext db,
    ChannelProviders providers,
    SecretProtector secrets,
    DeliveryOutcomes outcomes,
    NotificationMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<Deliverer> logger)
{
    /// <returns>Whether there was an entry to work on.</returns>
    public async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Notification? entry;
        (IChannelProvider Provider, OutgoingMessage Message)? call = null;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            entry = await db.Notifications
                .FromSql($"""
                    SELECT * FROM notifications
                    WHERE (status = 'queued' AND next_attempt_at <= {now})
                       OR (status = 'queued' AND receipt_deadline <= {now})
                       OR (fallback_at <= {now} AND status IN ('queued', 'sent') AND receipt_deadline IS NULL)
                    ORDER BY LEAST(next_attempt_at, receipt_deadline, fallback_at)
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                    """)
                .SingleOrDefaultAsync(cancellationToken);
            if (entry is null)
            {
                return false;
            }

            if (entry.IsReceiptOverdue(now))
            {
                await outcomes.ReceiptOverdueAsync(entry, now, cancellationToken);
            }
            else if (entry.IsFallbackDue(now))
            {
                await outcomes.FallbackDueAsync(entry, now, cancellationToken);
            }
            else if (await StartAttemptAsync(entry, now, cancellationToken) is { } started)
            {
                if (started.Provider.SendsInTheAttemptTransaction)
                {
                    await RecordAsync(entry, started.Provider, await SendAsync(started.Provider, started.Message, cancellationToken), cancellationToken);
                }
                else
                {
                    call = started;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (call is { } pending)
        {
            await CallAndRecordAsync(entry.Id, pending.Provider, pending.Message);
        }

        return true;
    }

    /// <summary>When the next entry will need work, if any is waiting.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        var attempt = await db.Notifications.Where(n => n.Status == DeliveryStatus.Queued).MinAsync(n => n.NextAttemptAt, cancellationToken);
        var receipt = await db.Notifications.Where(n => n.Status == DeliveryStatus.Queued).MinAsync(n => n.ReceiptDeadline, cancellationToken);
        var fallback = await db.Notifications.Where(n => n.FallbackAt != null && n.ReceiptDeadline == null).MinAsync(n => n.FallbackAt, cancellationToken);
        return new[] { attempt, receipt, fallback }.Where(d => d is not null).Min();
    }

    /// <returns>The call to make, or null when there is none (the message failed, or no provider serves its channel).</returns>
    private async Task<(IChannelProvider Provider, OutgoingMessage Message)?> StartAttemptAsync(
        Notification entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var provider = providers.For(entry.Channel);
        var deadline = options.Value.Retries.OutcomeDeadline(now, provider?.CallLimit ?? TimeSpan.Zero);
        if (entry.StartAttempt(provider?.Name ?? entry.Provider, now, deadline) is { } refusal)
        {
            if (refusal.Kind == RefusalKind.TooLate)
            {
                await outcomes.FailedAsync(entry, now, cancellationToken);
            }

            return null;
        }

        if (provider is null)
        {
            await RecordAsync(entry, null, new SendResult.Permanent($"no provider is configured for {entry.Channel}"), cancellationToken);
            return null;
        }

        var variables = new Dictionary<string, string>(entry.Variables);
        foreach (var (name, value) in secrets.Unprotect(entry.ProtectedSecrets))
        {
            variables[name] = value;
        }

        var message = MessageTemplates.Render(entry.Template, entry.Language, variables);
        return (provider, new OutgoingMessage(entry.Id, entry.OrgId, entry.Recipient, message));
    }

    /// <summary>
    /// The attempt is committed: calls the provider, then records what it answered under the entry's lock. Neither
    /// is cut short when the service stops (the call has its own time limit): a call abandoned, or an answer not
    /// recorded, would turn a known outcome into an unknown one, and a restart into a wait for a receipt.
    /// </summary>
    private async Task CallAndRecordAsync(Guid entryId, IChannelProvider provider, OutgoingMessage message)
    {
        var result = await SendAsync(provider, message, CancellationToken.None);

        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        // A receipt may have reached the entry during the call; the lock orders the two.
        var entry = await db.Notifications
            .FromSql($"SELECT * FROM notifications WHERE id = {entryId} FOR UPDATE")
            .SingleAsync(CancellationToken.None);
        await RecordAsync(entry, provider, result, CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    private async Task RecordAsync(Notification entry, IChannelProvider? provider, SendResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        metrics.Attempted(entry.Channel, provider?.Name ?? entry.Provider, result);
        var status = entry.Status;
        entry.RecordAttempt(result, options.Value.Retries, Jitter(), now);
        LogAttempt(logger, entry.Id, entry.Channel, entry.Provider, entry.Attempts, DeliveryStatuses.NameOf(entry.Status), entry.LastError ?? "");

        if (entry.Status == status)
        {
            return;
        }

        if (entry.Status == DeliveryStatus.Failed)
        {
            await outcomes.FailedAsync(entry, now, cancellationToken);
        }
        else
        {
            outcomes.Progressed(entry, now);
        }
    }

    private async Task<SendResult> SendAsync(IChannelProvider provider, OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await provider.SendAsync(message, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A provider bug must not lose the message, nor send it twice: whether the request left is unknown.
            LogProviderCrashed(logger, exception.GetType().Name, provider.Name);
            return new SendResult.Unknown($"{provider.Name}: unexpected {exception.GetType().Name}", ProviderErrorKind.LostAnswer);
        }
    }

    // Spreads retries of messages that failed together; not a secret, but RandomNumberGenerator costs nothing here.
    private static double Jitter() => RandomNumberGenerator.GetInt32(0, 10_001) / 10_000.0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Attempt {Attempts} of {NotificationId} over {Channel} ({Provider}): {Status} {Error}")]
    private static partial void LogAttempt(ILogger logger, Guid notificationId, string channel, string provider, int attempts, string status, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Provider} provider threw {ExceptionType}; the attempt's outcome counts as unknown")]
    private static partial void LogProviderCrashed(ILogger logger, string exceptionType, string provider);
}
