using Microsoft.Extensions.Options;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// Works through due attempts and overdue fallbacks. The state lives in the database, so a restart (or another
/// replica) picks up exactly where this one stopped; see docs/decisions/0402-retries-in-the-database.md.
/// </summary>
internal sealed partial class DeliveryWorker(
    IServiceScopeFactory scopes,
    DeliverySignal signal,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, options.Value.Concurrency),
                    stoppingToken,
                    async (_, token) =>
                    {
                        while (await ProcessNextAsync(token))
                        {
                        }
                    });
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
                LogWorkerFailed(logger, exception, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, failures), 5_000)), stoppingToken)
                    .ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Deliverer>().ProcessNextAsync(cancellationToken);
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var next = await scope.ServiceProvider.GetRequiredService<Deliverer>().NextDueAsync(cancellationToken);
        var poll = options.Value.PollInterval;
        if (next is null)
        {
            return poll;
        }

        var until = next.Value - time.GetUtcNow();
        return until <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : until < poll ? until : poll;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The delivery worker failed ({Failures} in a row); it tries again shortly")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, int failures);
}
