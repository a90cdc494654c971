using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;

namespace TeamPlatform.Permissions.Features.EndTimeBoundAccess;

/// <summary>
/// Records the end of time-bound access (docs/permissions.md#time-bound-access). Checks already answer by the clock;
/// this makes the lapse an access change like any other: its own revision, an audit entry (<c>access_expired</c>, no
/// actor) and <c>MemberAccessChanged</c> with <c>changedByKind</c> <c>expiry</c>, which tells the member and, for a
/// lapse to blocked, makes identity revoke their sessions.
/// </summary>
public static class TimeBoundAccess
{
    /// <summary>
    /// Ends every time-bound access of the organisation that has run out at <paramref name="now"/>. The caller holds the
    /// organisation's lock and saves: every change of an organisation does this first, so no rule ever reads access
    /// that has ended.
    /// </summary>
    public static async Task<int> EndDueAsync(this PermissionDbContext db, Organisation organisation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await db.Members
            .Where(m => m.OrgId == organisation.Id && m.AccessExpiresAt != null && m.AccessExpiresAt <= now)
            .OrderBy(m => m.AccessExpiresAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        foreach (var member in due)
        {
            var change = organisation.EndTimeBoundAccess(member, now);
            db.Record(organisation, AuditActions.AccessExpired, change, actorId: null, now);
            db.PublishAccessChanged(change, actorId: null, now, ChangeKinds.Expiry);
        }

        return due.Count;
    }
}

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
