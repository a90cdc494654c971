using Microsoft.Extensions.Options;
using TeamPlatform.Notifications.Features.Shared;

namespace TeamPlatform.Notifications.Features.DeliverWebhooks;

/// <summary>
/// Works through due webhook deliveries, tells admins of endpoints turned off for failing, and drops payloads and log
/// entries past retention. Everything it needs is in the database, so replicas share the work and a restart resumes it.
/// </summary>
internal sealed partial class WebhookWorker(
    IServiceScopeFactory scopes,
    WebhookSignal signal,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookWorker> logger) : BackgroundService
{
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromMinutes(1);
    private DateTimeOffset _tellAdminsAfter = DateTimeOffset.MinValue;
    private DateTimeOffset _lastRetention = DateTimeOffset.MinValue;

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
                        while (await InScopeAsync<WebhookDispatcher, bool>(d => d.ProcessNextAsync(token)))
                        {
                        }
                    });
                await HousekeepingAsync(stoppingToken);
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

    /// <summary>
    /// Admins are told at once (the query reads a partial index of endpoints not told yet), or a minute after permission
    /// last failed to say who they are; retention runs once a minute.
    /// </summary>
    private async Task HousekeepingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now >= _tellAdminsAfter && !await InScopeAsync<WebhookHousekeeping, bool>(h => h.TellAdminsAsync(cancellationToken)))
        {
            _tellAdminsAfter = now + HousekeepingInterval;
        }

        if (now - _lastRetention >= HousekeepingInterval || now < _lastRetention)
        {
            await InScopeAsync<WebhookHousekeeping, bool>(async h =>
            {
                await h.ForgetExpiredAsync(cancellationToken);
                return true;
            });
            _lastRetention = now;
        }
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        var next = await InScopeAsync<WebhookDispatcher, DateTimeOffset?>(d => d.NextDueAsync(cancellationToken));
        var poll = options.Value.PollInterval;
        if (next is null)
        {
            return poll;
        }

        var until = next.Value - time.GetUtcNow();
        return until <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : until < poll ? until : poll;
    }

    private async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The webhook worker failed ({Failures} in a row); it tries again shortly")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, int failures);
}
