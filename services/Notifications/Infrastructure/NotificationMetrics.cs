using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Infrastructure;

/// <summary>
/// Notification's work and trouble as an operator watches them (docs/operations.md). Tags name a channel, a provider,
/// a status — never a recipient or an organisation. Counted as the change is made in its unit of work.
/// </summary>
public sealed partial class NotificationMetrics
{
    public const string MeterName = "TeamPlatform.Notifications";

    /// <summary>The status a delivery is counted with when SMS takes it over from WhatsApp.</summary>
    public const string FellBack = "fell_back";

    /// <summary>How long one count of the entries awaiting a receipt is shown before a scrape asks for a new one.</summary>
    public static readonly TimeSpan AwaitingReceiptRefresh = TimeSpan.FromSeconds(10);

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _providerErrors;
    private readonly Counter<long> _webhookAttempts;
    private readonly Histogram<double> _webhookAttemptDuration;
    private readonly Histogram<double> _webhookLag;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<NotificationMetrics> _logger;
    // Scrapes come in real time: the cache ages on the real clock, not on a test's frozen one.
    private readonly TimeProvider _clock = TimeProvider.System;
    private long _awaitingReceipt = -1; // -1 until first counted
    private long _awaitingReceiptCountedAt = DateTimeOffset.MinValue.UtcTicks;
    private int _counting;

    public NotificationMetrics(IMeterFactory meters, IServiceScopeFactory scopes, ILogger<NotificationMetrics> logger)
    {
        _scopes = scopes;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _deliveries = meter.CreateCounter<long>(
            "teamplatform.notifications.deliveries", unit: "{message}",
            description: "Messages reaching a status (sent, delivered, read, failed, fell_back), by channel and status");
        _providerErrors = meter.CreateCounter<long>(
            "teamplatform.notifications.provider.errors", unit: "{attempt}",
            description: "Delivery attempts a provider did not take or did not answer, by channel, provider, kind (server_error, refusal, " +
                         "connection, timeout, lost_answer) and result (transient, permanent, unknown)");
        _webhookAttempts = meter.CreateCounter<long>(
            "teamplatform.notifications.webhook.attempts", unit: "{attempt}",
            description: "Webhook delivery attempts, by result (succeeded, failed)");
        _webhookAttemptDuration = meter.CreateHistogram<double>(
            "teamplatform.notifications.webhook.attempt.duration", unit: "s",
            description: "How long receivers took to answer a webhook attempt");
        _webhookLag = meter.CreateHistogram<double>(
            "teamplatform.notifications.webhook.lag", unit: "s",
            description: "From an event reaching this service to its webhook answered 2xx, first deliveries only (replays excluded)");
        meter.CreateObservableGauge(
            "teamplatform.notifications.awaiting_receipt", ObserveAwaitingReceipt, unit: "{message}",
            description: "Messages whose last attempt's outcome is not known (a call under way, or no answer) waiting for the provider's receipt " +
                         "(counted at most every 10 s)");
    }

    public void WebhookAttempted(bool succeeded, int latencyMs)
    {
        _webhookAttempts.Add(1, new KeyValuePair<string, object?>("result", succeeded ? "succeeded" : "failed"));
        _webhookAttemptDuration.Record(latencyMs / 1000.0);
    }

    public void WebhookDelivered(TimeSpan lag) => _webhookLag.Record(Math.Max(lag.TotalSeconds, 0));

    public void Delivery(string channel, string status) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("status", status));

    /// <summary>Counts an attempt's result when it is an error; an accepted message is counted by <see cref="Delivery"/>.</summary>
    public void Attempted(string channel, string provider, SendResult result)
    {
        (ProviderErrorKind Kind, string Result)? error = result switch
        {
            SendResult.Transient transient => (transient.Kind, "transient"),
            SendResult.Permanent => (ProviderErrorKind.Refusal, "permanent"),
            SendResult.Unknown unknown => (unknown.Kind, "unknown"),
            _ => null,
        };
        if (error is { } counted)
        {
            _providerErrors.Add(
                1,
                new KeyValuePair<string, object?>("channel", channel),
                new KeyValuePair<string, object?>("provider", provider),
                new KeyValuePair<string, object?>("kind", KindName(counted.Kind)),
                new KeyValuePair<string, object?>("result", counted.Result));
        }
    }

    internal static string KindName(ProviderErrorKind kind) => kind switch
    {
        ProviderErrorKind.ServerError => "server_error",
        ProviderErrorKind.Refusal => "refusal",
        ProviderErrorKind.Connection => "connection",
        ProviderErrorKind.Timeout => "timeout",
        ProviderErrorKind.LostAnswer => "lost_answer",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a provider error kind."),
    };

    // A scrape never waits for the database: it is shown the last count, and a stale count is refreshed beside it.
    private IEnumerable<Measurement<long>> ObserveAwaitingReceipt()
    {
        var countedAt = new DateTimeOffset(Interlocked.Read(ref _awaitingReceiptCountedAt), TimeSpan.Zero);
        if (_clock.GetUtcNow() - countedAt >= AwaitingReceiptRefresh && Interlocked.Exchange(ref _counting, 1) == 0)
        {
            _ = CountAwaitingReceiptAsync();
        }

        var awaiting = Interlocked.Read(ref _awaitingReceipt);
        return awaiting < 0 ? [] : [new Measurement<long>(awaiting)];
    }

    private async Task CountAwaitingReceiptAsync()
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            Interlocked.Exchange(
                ref _awaitingReceipt,
                await db.Notifications.LongCountAsync(n => n.Status == DeliveryStatus.Queued && n.ReceiptDeadline != null));
            Interlocked.Exchange(ref _awaitingReceiptCountedAt, _clock.GetUtcNow().UtcTicks);
        }
        catch (Exception exception)
        {
            LogCountFailed(_logger, exception);
        }
        finally
        {
            Volatile.Write(ref _counting, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the messages awaiting a receipt failed; the meter shows the last count")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
