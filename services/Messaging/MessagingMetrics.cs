using System.Diagnostics.Metrics;

namespace TeamPlatform.Messaging;

/// <summary>
/// The outbox and inbox as an operator watches them: how far behind the relay is, how much waits, and how many
/// redeliveries the inboxes absorbed. The relay reports what it already reads; no gauge queries on a scrape.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "TeamPlatform.Messaging";

    private readonly Counter<long> _duplicates;
    private readonly TimeProvider _time = TimeProvider.System;
    private long _oldestWaitingTicks; // UTC ticks of the oldest row the relay last saw waiting; 0 when it saw none
    private long _backlog;

    public MessagingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "teamplatform.messaging.outbox.lag", ObserveLag, unit: "s",
            description: "Age of the oldest outbox row not yet relayed to the broker, as the relay last saw it");
        meter.CreateObservableGauge(
            "teamplatform.messaging.outbox.backlog", () => Interlocked.Read(ref _backlog), unit: "{message}",
            description: "Outbox rows waiting to be relayed, as the relay last counted them");
        _duplicates = meter.CreateCounter<long>(
            "teamplatform.messaging.inbox.duplicates", unit: "{message}",
            description: "Redelivered messages an inbox recognised and dropped");
    }

    /// <summary>What the relay saw when it last claimed rows: the oldest one's creation time (null: nothing waiting) and how many wait.</summary>
    internal void OutboxSeen(DateTimeOffset? oldestWaiting, long backlog)
    {
        Interlocked.Exchange(ref _oldestWaitingTicks, oldestWaiting?.UtcTicks ?? 0);
        Interlocked.Exchange(ref _backlog, backlog);
    }

    internal void DuplicateDropped(string consumer) =>
        _duplicates.Add(1, new KeyValuePair<string, object?>("messaging.consumer", consumer));

    private double ObserveLag()
    {
        var oldest = Interlocked.Read(ref _oldestWaitingTicks);
        return oldest == 0 ? 0 : Math.Max(0, (_time.GetUtcNow().UtcTicks - oldest) / (double)TimeSpan.TicksPerSecond);
    }
}
