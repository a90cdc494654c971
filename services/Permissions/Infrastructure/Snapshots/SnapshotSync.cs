using MassTransit;
using Microsoft.Extensions.Options;
using TeamPlatform.Contracts.V1;

namespace TeamPlatform.Permissions.Infrastructure.Snapshots;

/// <summary>
/// Hears every change on this replica's own temporary queue (so every replica hears every change) and catches
/// the organisation's snapshot up. Idempotent by nature: an event at or below the snapshot's revision does nothing.
/// </summary>
public sealed class SnapshotSyncConsumer(SnapshotCache cache) :
    IConsumer<MemberRegistered>,
    IConsumer<MemberAccessChanged>,
    IConsumer<MemberRemoved>,
    IConsumer<GroupDeleted>,
    IConsumer<ConversationVisibilityChanged>
{
    public Task Consume(ConsumeContext<MemberRegistered> context) =>
        cache.NotifyAsync(context.Message.OrgId, context.Message.Revision, context.CancellationToken);

    public Task Consume(ConsumeContext<MemberAccessChanged> context) =>
        cache.NotifyAsync(context.Message.OrgId, context.Message.Revision, context.CancellationToken);

    public Task Consume(ConsumeContext<MemberRemoved> context) =>
        cache.NotifyAsync(context.Message.OrgId, context.Message.Revision, context.CancellationToken);

    public Task Consume(ConsumeContext<GroupDeleted> context) =>
        cache.NotifyAsync(context.Message.OrgId, context.Message.Revision, context.CancellationToken);

    public Task Consume(ConsumeContext<ConversationVisibilityChanged> context) =>
        cache.NotifyAsync(context.Message.OrgId, context.Message.Revision, context.CancellationToken);
}

/// <summary>The safety net under the events: compares revisions with the database now and then, and forgets idle organisations.</summary>
internal sealed partial class SnapshotResync(SnapshotCache cache, IOptions<PermissionOptions> options, TimeProvider time, ILogger<SnapshotResync> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResyncInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await cache.ResyncAsync(options.Value.SnapshotIdleTimeout, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot resync failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
