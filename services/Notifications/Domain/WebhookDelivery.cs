namespace TeamPlatform.Notifications.Domain;

public enum WebhookDeliveryStatus
{
    Pending,
    Succeeded,
    Failed,

    /// <summary>The event came while the endpoint was disabled: kept for replay, never attempted.</summary>
    Skipped,
}

public static class WebhookDeliveryStatuses
{
    public static readonly IReadOnlyList<string> All = ["pending", "succeeded", "failed", "skipped"];

    public static string NameOf(WebhookDeliveryStatus status) => All[(int)status];

    public static bool TryParse(string? name, out WebhookDeliveryStatus status)
    {
        var index = name is null ? -1 : All.ToList().IndexOf(name);
        status = index < 0 ? default : (WebhookDeliveryStatus)index;
        return index >= 0;
    }
}

/// <summary>
/// One event for one endpoint: the Standard Webhooks message (<c>webhook-id</c> is <see cref="MessageId"/>, the same on
/// every attempt and replay, so receivers deduplicate on it) and the log of its attempts. The payload is kept for
/// <see cref="PayloadRetention"/>, the window in which it can be replayed; the entry itself for <see cref="LogRetention"/>.
/// </summary>
public sealed class WebhookDelivery
{
    public static readonly TimeSpan PayloadRetention = TimeSpan.FromDays(7);
    public static readonly TimeSpan LogRetention = TimeSpan.FromDays(30);

    /// <summary>
    /// The wait before each retry: eight attempts over about 27 hours, so that a receiver down for a day still gets
    /// everything (the schedule Standard Webhooks senders commonly use).
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public const int MaxErrorLength = 300;

    private WebhookDelivery()
    {
    }

    public Guid Id { get; private set; }

    public Guid EndpointId { get; private set; }

    public Guid OrgId { get; private set; }

    /// <summary>The event's record name (the body's <c>type</c>).</summary>
    public string EventType { get; private set; } = "";

    /// <summary>The event's message id on the broker: an event is delivered to an endpoint once.</summary>
    public Guid EventId { get; private set; }

    /// <summary>The exact body sent (the signature covers it byte for byte); null once past retention.</summary>
    public string? Payload { get; private set; }

    public WebhookDeliveryStatus Status { get; private set; }

    /// <summary>Attempts since the delivery was created or last replayed.</summary>
    public int Attempts { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public int? LastResponseStatus { get; private set; }

    public int? LastLatencyMs { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Where the retry schedule started: creation, or the last replay.</summary>
    public DateTimeOffset ScheduleStartedAt { get; private set; }

    public DateTimeOffset? SucceededAt { get; private set; }

    public DateTimeOffset? ReplayedAt { get; private set; }

    /// <summary><c>msg_</c> and the id: the <c>webhook-id</c> header.</summary>
    public string MessageId => MessageIdOf(Id);

    public static string MessageIdOf(Guid id) => $"msg_{id:N}";

    public static WebhookDelivery For(WebhookEndpoint endpoint, string eventType, Guid eventId, string payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        EndpointId = endpoint.Id,
        OrgId = endpoint.OrgId,
        EventType = eventType,
        EventId = eventId,
        Payload = payload,
        Status = endpoint.IsEnabled ? WebhookDeliveryStatus.Pending : WebhookDeliveryStatus.Skipped,
        NextAttemptAt = endpoint.IsEnabled ? now : null,
        CreatedAt = now,
        ScheduleStartedAt = now,
    };

    public void Delivered(int responseStatus, int latencyMs, DateTimeOffset now)
    {
        Record(responseStatus, latencyMs, null, now);
        Status = WebhookDeliveryStatus.Succeeded;
        SucceededAt = now;
        NextAttemptAt = null;
    }

    /// <returns>Whether that was the last attempt of the schedule.</returns>
    public bool AttemptFailed(int? responseStatus, int latencyMs, string error, DateTimeOffset now)
    {
        Record(responseStatus, latencyMs, error.Length > MaxErrorLength ? error[..MaxErrorLength] : error, now);
        if (Attempts > RetryDelays.Count)
        {
            Status = WebhookDeliveryStatus.Failed;
            NextAttemptAt = null;
            return true;
        }

        NextAttemptAt = now + RetryDelays[Attempts - 1];
        return false;
    }

    /// <summary>What a delivery still waiting says when its endpoint is turned off for failing: it stops, replayable like the rest.</summary>
    public const string StoppedByDisablingError = "The endpoint was turned off.";

    public bool CanReplay => Payload is not null;

    /// <summary>Sends the same message (same <c>webhook-id</c>) again, from the start of the retry schedule.</summary>
    public void Replay(DateTimeOffset now)
    {
        if (!CanReplay)
        {
            throw new InvalidOperationException("A delivery past its retention cannot be replayed.");
        }

        Status = WebhookDeliveryStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        ScheduleStartedAt = now;
        ReplayedAt = now;
    }

    private void Record(int? responseStatus, int latencyMs, string? error, DateTimeOffset now)
    {
        Attempts++;
        LastAttemptAt = now;
        LastResponseStatus = responseStatus;
        LastLatencyMs = latencyMs;
        LastError = error;
    }
}
