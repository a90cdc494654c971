using Microsoft.Extensions.Options;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// Works through due attempts and overdue fallbacks. The state lives in the database, so a restart (or another
/// replica) picks up exactly where this one stopped; see docs/decisions/0402-retries-in-the-database.md.
/// </summary>
internal sealed class DeliveryWorker(
    IServiceScopeFactory scopes,
    DeliverySignal signal,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : DueWorkWorker<Deliverer>(scopes, signal, time, logger)
{
    protected override string Name => "delivery worker";

    protected override int Concurrency => options.Value.Concurrency;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override Task<bool> ProcessNextAsync(Deliverer work, CancellationToken cancellationToken) => work.ProcessNextAsync(cancellationToken);

    protected override Task<DateTimeOffset?> NextDueAsync(Deliverer work, CancellationToken cancellationToken) => work.NextDueAsync(cancellationToken);
}
