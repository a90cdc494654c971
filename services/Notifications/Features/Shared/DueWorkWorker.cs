namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// A worker whose work waits in the database with an instant it is due: each round drains what is due with
/// <see cref="Concurrency"/> runners, then sleeps until the next due instant (at most <see cref="PollInterval"/>) or
/// until its signal wakes it. A failed round is logged and tried again after a growing pause.
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

    /// <summary>Chores after each round, once nothing is due.</summary>
    protected virtual Task AfterRoundAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected TimeProvider Time => time;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, Concurrency),
                    stoppingToken,
                    async (_, token) =>
                    {
                        while (await InScopeAsync<TWork, bool>(work => ProcessNextAsync(work, token)))
                        {
                        }
                    });
                await AfterRoundAsync(stoppingToken);
                failures = 0;
                await signal.WaitAsync(await UntilNextDueAsync(stoppingToken), stoppingToken);
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
