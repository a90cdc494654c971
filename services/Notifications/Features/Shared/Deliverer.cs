using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// Takes the next entry that needs work (an attempt due, or WhatsApp's time up) and does it, in one
/// transaction holding the entry's row lock: replicas never work on the same entry, and the outcome, the
/// events and the development channel's record commit together.
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
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var entry = await db.Notifications
            .FromSql($"""
                SELECT * FROM notifications
                WHERE (status = 'queued' AND next_attempt_at <= {now})
                   OR (fallback_at <= {now} AND status IN ('queued', 'sent'))
                ORDER BY LEAST(next_attempt_at, fallback_at)
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """)
            .SingleOrDefaultAsync(cancellationToken);
        if (entry is null)
        {
            return false;
        }

        if (entry.IsFallbackDue(now))
        {
            await outcomes.FallbackDueAsync(entry, now, cancellationToken);
        }
        else
        {
            await AttemptAsync(entry, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>When the next entry will need work, if any is waiting.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        var attempt = await db.Notifications.Where(n => n.Status == DeliveryStatus.Queued).MinAsync(n => n.NextAttemptAt, cancellationToken);
        var fallback = await db.Notifications.Where(n => n.FallbackAt != null).MinAsync(n => n.FallbackAt, cancellationToken);
        return attempt is null ? fallback : fallback is null ? attempt : (attempt < fallback ? attempt : fallback);
    }

    private async Task AttemptAsync(Notification entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var provider = providers.For(entry.Channel);
        if (entry.StartAttempt(provider?.Name ?? entry.Provider, now) is { } refusal)
        {
            if (refusal.Kind == RefusalKind.TooLate)
            {
                await outcomes.FailedAsync(entry, now, cancellationToken);
            }

            return;
        }

        SendResult result;
        if (provider is null)
        {
            result = new SendResult.Permanent($"no provider is configured for {entry.Channel}");
        }
        else
        {
            var variables = new Dictionary<string, string>(entry.Variables);
            foreach (var (name, value) in secrets.Unprotect(entry.ProtectedSecrets))
            {
                variables[name] = value;
            }

            var message = MessageTemplates.Render(entry.Template, entry.Language, variables);
            result = await SendAsync(provider, new OutgoingMessage(entry.Id, entry.OrgId, entry.Recipient, message), cancellationToken);
        }

        now = time.GetUtcNow();
        metrics.Attempted(entry.Channel, provider?.Name ?? entry.Provider, result);
        var status = entry.Status;
        entry.RecordAttempt(result, options.Value.Retries, Jitter(), now);
        LogAttempt(logger, entry.Id, entry.Channel, entry.Provider, entry.Attempts, DeliveryStatuses.NameOf(entry.Status), entry.LastError ?? "");

        if (entry.Status == DeliveryStatus.Failed)
        {
            await outcomes.FailedAsync(entry, now, cancellationToken);
        }
        else if (entry.Status != status)
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
            // A provider bug must not lose the message: it is retried like any passing fault.
            LogProviderCrashed(logger, exception.GetType().Name, provider.Name);
            return new SendResult.Transient($"{provider.Name}: unexpected {exception.GetType().Name}");
        }
    }

    // Spreads retries of messages that failed together; not a secret, but RandomNumberGenerator costs nothing here.
    private static double Jitter() => RandomNumberGenerator.GetInt32(0, 10_001) / 10_000.0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Attempt {Attempts} of {NotificationId} over {Channel} ({Provider}): {Status} {Error}")]
    private static partial void LogAttempt(ILogger logger, Guid notificationId, string channel, string provider, int attempts, string status, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Provider} provider threw {ExceptionType}; the attempt counts as a transient failure")]
    private static partial void LogProviderCrashed(ILogger logger, string exceptionType, string provider);
}
