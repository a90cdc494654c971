using Microsoft.Extensions.Options;
using TeamPlatform.Notifications.Features.Shared;

namespace TeamPlatform.Notifications.Features.DeliverWebhooks;

/// <summary>
/// Works through due webhook deliveries, tells admins of endpoints turned off for failing, and drops payloads and log
/// entries past retention. Everything it needs is in the database, so replicas share the work and a restart resumes it.
/// </summary>
internal sealed class WebhookWorker(
    IServiceScopeFactory scopes,
    WebhookSignal signal,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookWorker> logger) : DueWorkWorker<WebhookDispatcher>(scopes, signal, time, logger)
{
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromMinutes(1);
    private DateTimeOffset _tellAdminsAfter = DateTimeOffset.MinValue;
    private DateTimeOffset _lastRetention = DateTimeOffset.MinValue;

    protected override string Name => "webhook worker";

    protected override int Concurrency => options.Value.Concurrency;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override Task<bool> ProcessNextAsync(WebhookDispatcher work, CancellationToken cancellationToken) => work.ProcessNextAsync(cancellationToken);

    protected override Task<DateTimeOffset?> NextDueAsync(WebhookDispatcher work, CancellationToken cancellationToken) => work.NextDueAsync(cancellationToken);

    /// <summary>
    /// Admins are told at once (the query reads a partial index of endpoints not told yet), or a minute after permission
    /// last failed to say who they are; retention runs once a minute.
    /// </summary>
    protected override async Task ChoresAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
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
}
