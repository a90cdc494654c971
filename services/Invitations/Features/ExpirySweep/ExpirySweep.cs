using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Invitations.Infrastructure;

namespace TeamPlatform.Invitations.Features.ExpirySweep;

/// <summary>
/// Publishes <c>InvitationExpired</c> once per expiry. It changes no status (status is computed from
/// <c>expiresAt</c> on read); it only tells subscribers. Replicas skip each other's rows, so each expiry is
/// announced by exactly one of them.
/// </summary>
public sealed class ExpirySweep(
    IServiceScopeFactory scopeFactory,
    IOptions<InvitationOptions> options,
    InvitationMetrics metrics,
    TimeProvider time,
    ILogger<ExpirySweep> logger) : PeriodicSweep(time, logger)
{
    protected override TimeSpan Interval => options.Value.ExpirySweepInterval;

    protected override string Done => "invitation expiries announced";

    protected override int BatchSize => options.Value.ExpirySweepBatchSize;

    protected override async Task<int> SweepBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InvitationDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Time.GetUtcNow();
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
}
