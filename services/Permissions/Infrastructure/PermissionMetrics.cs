using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Infrastructure;

/// <summary>
/// Permission's work as an operator watches it (docs/operations.md); the snapshot catch-ups are counted by the
/// <see cref="Snapshots.SnapshotCache"/> on the same meter. Tags name kinds of changes, never a member or an organisation.
/// </summary>
public sealed partial class PermissionMetrics
{
    public const string MeterName = "TeamPlatform.Permissions";

    /// <summary>How long one count of the members waiting for approval is shown before a scrape asks for a new one.</summary>
    public static readonly TimeSpan PendingApprovalsRefresh = TimeSpan.FromSeconds(30);

    private readonly Counter<long> _accessChanges;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<PermissionMetrics> _logger;
    private long _pendingApprovals = -1; // -1 until first counted
    private long _pendingApprovalsCountedAt = DateTimeOffset.MinValue.UtcTicks;
    private int _counting;

    public PermissionMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time, ILogger<PermissionMetrics> logger)
    {
        _scopes = scopes;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _accessChanges = meter.CreateCounter<long>(
            "teamplatform.permissions.access.changes", unit: "{change}",
            description: "Members' access changed, one per member and change, by action (access_changed, removed, group_deleted…)");
        meter.CreateObservableGauge(
            "teamplatform.permissions.approvals.pending", ObservePendingApprovals, unit: "{member}",
            description: "Members waiting for an admin's approval, in every organisation (counted at most every 30 s)");
    }

    /// <summary>Counts the committed change of one member's access, named by its audit action.</summary>
    public void AccessChanged(string action) => _accessChanges.Add(1, new KeyValuePair<string, object?>("action", action));

    // A scrape never waits for the database: it is shown the last count, and a stale count is refreshed beside it.
    private IEnumerable<Measurement<long>> ObservePendingApprovals()
    {
        var countedAt = new DateTimeOffset(Interlocked.Read(ref _pendingApprovalsCountedAt), TimeSpan.Zero);
        if (_time.GetUtcNow() - countedAt >= PendingApprovalsRefresh && Interlocked.Exchange(ref _counting, 1) == 0)
        {
            _ = CountPendingApprovalsAsync();
        }

        var pending = Interlocked.Read(ref _pendingApprovals);
        return pending < 0 ? [] : [new Measurement<long>(pending)];
    }

    private async Task CountPendingApprovalsAsync()
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PermissionDbContext>();
            Interlocked.Exchange(ref _pendingApprovals, await db.Members.LongCountAsync(m => m.Status == MemberStatus.PendingApproval));
            Interlocked.Exchange(ref _pendingApprovalsCountedAt, _time.GetUtcNow().UtcTicks);
        }
        catch (Exception exception)
        {
            LogCountFailed(_logger, exception);
        }
        finally
        {
            Volatile.Write(ref _counting, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the members waiting for approval failed; the meter shows the last count")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
