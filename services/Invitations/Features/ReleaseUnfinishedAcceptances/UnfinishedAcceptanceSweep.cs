using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Invitations.Infrastructure;

namespace TeamPlatform.Invitations.Features.ReleaseUnfinishedAcceptances;

/// <summary>
/// Gives back invitations consumed by a registration that never became a member (identity's verification failed after
/// the acceptance, and the client did not try again): left alone, such an invitation would stay "accepted" with nobody
/// behind it, and the invited person could not use their link. Where the phone has been invited again since, the newer
/// invitation is theirs and the old one stays as it is (a phone has one open invitation at a time).
/// </summary>
public sealed class UnfinishedAcceptanceSweep(
    IServiceScopeFactory scopeFactory,
    IOptions<InvitationOptions> options,
    InvitationMetrics metrics,
    TimeProvider time,
    ILogger<UnfinishedAcceptanceSweep> logger) : PeriodicSweep(time, logger)
{
    protected override TimeSpan Interval => options.Value.ExpirySweepInterval;

    protected override string Done => "unfinished invitation acceptances released";

    protected override int BatchSize => options.Value.ExpirySweepBatchSize;

    protected override async Task<int> SweepBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InvitationDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Time.GetUtcNow();
        var after = options.Value.UnfinishedAcceptanceReleaseAfter;
        var unfinished = await db.Invitations
            .FromSql($"""
                SELECT * FROM invitations
                WHERE accepted_at IS NOT NULL AND member_id IS NULL AND accepted_at <= {now - after}
                  AND NOT EXISTS (
                      SELECT 1 FROM invitations newer
                      WHERE newer.org_id = invitations.org_id AND newer.phone = invitations.phone
                        AND newer.id <> invitations.id AND newer.created_at >= invitations.created_at)
                ORDER BY accepted_at
                LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);
        var released = unfinished.Count(invitation => invitation.ReleaseUnfinishedAcceptance(after, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Released(released);
        return released;
    }
}
