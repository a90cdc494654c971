namespace TeamPlatform.Invitations.Infrastructure;

/// <summary>
/// A background sweep run at an interval of the service's clock, in batches of its rows until one comes back short. A
/// failed round is logged and the next one tries again; replicas sweep side by side, each batch claiming its rows with
/// <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
public abstract partial class PeriodicSweep(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>What a round calls the rows it changed ("expiries announced"), for the log.</summary>
    protected abstract string Done { get; }

    protected abstract int BatchSize { get; }

    /// <summary>One round: every row due now; returns how many it changed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        int batch;
        do
        {
            batch = await SweepBatchAsync(cancellationToken);
            changed += batch;
        }
        while (batch == BatchSize);

        return changed;
    }

    /// <summary>Claims, changes and commits at most <see cref="BatchSize"/> rows; returns how many it changed.</summary>
    protected abstract Task<int> SweepBatchAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SweepAsync(stoppingToken) is > 0 and var count)
                {
                    LogSwept(logger, count, Done);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, GetType().Name, exception);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} {Done}")]
    private static partial void LogSwept(ILogger logger, int count, string done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweep} failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, string sweep, Exception exception);
}
