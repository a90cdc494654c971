using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Invitations.Infrastructure;

namespace TeamPlatform.Invitations.Features.ExpirySweep;

/// <summary>
/// Publishes <c>InvitationExpired</c> once per expiry. It changes no status (status is computed from
/// <c>expiresAt</c> on read); it only tells subscribers. Replicas skip each other's rows, so each expiry is
/// announced by exactly one of them.
/// </summary>
public sealed partial class ExpirySweep(
    IServiceScopeFactory scopeFactory,
    IOptions<InvitationOptions> options,
    InvitationMetrics metrics,
    TimeProvider time,
    ILogger<ExpirySweep> logger) : BackgroundService
{
    /// <summary>Announces every expiry not announced yet; returns how many it announced.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var announced = 0;
        int batch;
        do
        {
            batch = await SweepBatchAsync(cancellationToken);
            announced += batch;
        }
        while (batch == options.Value.ExpirySweepBatchSize);

        return announced;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SweepAsync(stoppingToken) is > 0 and var count)
                {
                    LogAnnounced(logger, count);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, exception);
            }

            try
            {
                await Task.Delay(options.Value.ExpirySweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<int> SweepBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InvitationDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var expired = await db.Invitations
            .FromSql($"""
                SELECT * FROM invitations
                WHERE accepted_at IS NULL AND revoked_at IS NULL AND NOT expiry_announced AND expires_at <= {now}
                ORDER BY expires_at
                LIMIT {options.Value.ExpirySweepBatchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);
        var announced = expired.Count(invitation => invitation.AnnounceExpiry(now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Expired(announced);
        return announced;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Announced the expiry of {Count} invitations")]
    private static partial void LogAnnounced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The invitation expiry sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
