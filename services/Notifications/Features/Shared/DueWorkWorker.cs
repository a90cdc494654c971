namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// A worker whose work waits in the database with an instant it is due. <see cref="Concurrency"/> runners each take the
/// next due item until none is left, then sleep until the signal wakes one of them; the first runner also wakes at the
/// next due instant (at most <see cref="PollInterval"/>), so an idle worker costs one query a poll. A runner that has
/// worked on an item wakes a sibling, so a backlog (a replay, retries falling due) draws in one more runner with each
/// item until all are busy, while a thin stream keeps one busy; a slow item holds up nobody else. A failure is logged
/// and tried again after a growing pause.
/// </summary>
internal abstract partial class DueWorkWorker<TWork>(
    IServiceScopeFactory scopes,
    WakeSignal signal,
    TimeProvider time,
    ILogger logger) : BackgroundService
    where TWork : notnull
{
    protected abstract string Name { get; }

    protected abstract int Concurrency { get; }

    protected abstract TimeSpan PollInterval { get; }

    /// <returns>Whether there was an item to work on.</returns>
    protected abstract Task<bool> ProcessNextAsync(TWork work, CancellationToken cancellationToken);

    protected abstract Task<DateTimeOffset?> NextDueAsync(TWork work, CancellationToken cancellationToken);

    /// <summary>Chores of the first runner, each time it finds nothing due.</summary>
    protected virtual Task ChoresAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected TimeProvider Time => time;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Concurrency).Select(runner => RunAsync(polls: runner == 0, stoppingToken)));

    private async Task RunAsync(bool polls, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await InScopeAsync<TWork, bool>(work => ProcessNextAsync(work, stoppingToken)))
                {
                    if (polls)
                    {
                        await ChoresAsync(stoppingToken);
                    }

                    await signal.WaitAsync(polls ? await UntilNextDueAsync(stoppingToken) : Timeout.InfiniteTimeSpan, stoppingToken);
                }
                else
                {
                    // There may be more: a sibling looks too while this runner goes round again.
                    signal.Notify();
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                LogWorkerFailed(logger, exception, Name, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, failures), 5_000)), stoppingToken)
                    .ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    protected async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        var next = await InScopeAsync<TWork, DateTimeOffset?>(work => NextDueAsync(work, cancellationToken));
        var poll = PollInterval;
        if (next is null)
        {
            return poll;
        }

        var until = next.Value - time.GetUtcNow();
        return until <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : until < poll ? until : poll;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Worker} failed ({Failures} in a row); it tries again shortly")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, string worker, int failures);
}
