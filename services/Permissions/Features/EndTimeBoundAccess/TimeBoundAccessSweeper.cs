using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;

namespace TeamPlatform.Permissions.Features.EndTimeBoundAccess;

/// <summary>
/// Ends time-bound access within <see cref="PermissionOptions.TimeBoundSweepInterval"/> of its end, on whichever replica
/// looks first: each organisation with access due is locked, and the first replica there ends it; the others find nothing.
/// </summary>
internal sealed partial class TimeBoundAccessSweeper(
    IServiceScopeFactory scopes,
    SnapshotCache snapshots,
    PermissionMetrics metrics,
    IOptions<PermissionOptions> options,
    TimeProvider time,
    ILogger<TimeBoundAccessSweeper> logger) : BackgroundService
{
    /// <summary>Organisations handled per round; the next round takes the rest at once.</summary>
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TimeBoundSweepInterval, time);
        try
        {
            do
            {
                try
                {
                    while (await SweepAsync(stoppingToken) == Batch)
                    {
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: the organisations with access due, each in a transaction of its own. Answers how many it looked at.</summary>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Guid> organisations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            organisations = await scope.ServiceProvider.GetRequiredService<PermissionDbContext>().Members
                .Where(m => m.AccessExpiresAt != null && m.AccessExpiresAt <= now)
                .Select(m => m.OrgId).Distinct().Take(Batch)
                .ToListAsync(cancellationToken);
        }

        foreach (var orgId in organisations)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PermissionDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.LockOrganisationAsync(orgId, cancellationToken) is not { } organisation)
            {
                continue;
            }

            var ended = await db.EndDueAsync(organisation, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            for (var i = 0; i < ended; i++)
            {
                metrics.AccessChanged(AuditActions.AccessExpired);
            }

            await snapshots.NotifyAsync(orgId, organisation.Revision, cancellationToken);
        }

        return organisations.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ending time-bound access failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
