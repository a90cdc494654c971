using System.Diagnostics.Metrics;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Infrastructure;

/// <summary>
/// Notification's work and trouble as an operator watches them (docs/operations.md). Tags name a channel, a provider,
/// a status — never a recipient or an organisation. Counted as the change is made in its unit of work.
/// </summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "TeamPlatform.Notifications";

    /// <summary>The status a delivery is counted with when SMS takes it over from WhatsApp.</summary>
    public const string FellBack = "fell_back";

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _providerErrors;

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _deliveries = meter.CreateCounter<long>(
            "teamplatform.notifications.deliveries", unit: "{message}",
            description: "Messages reaching a status (sent, delivered, read, failed, fell_back), by channel and status");
        _providerErrors = meter.CreateCounter<long>(
            "teamplatform.notifications.provider.errors", unit: "{attempt}",
            description: "Delivery attempts a provider did not take, by channel, provider and kind (transient, permanent)");
    }

    public void Delivery(string channel, string status) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("status", status));

    /// <summary>Counts an attempt's result when it is an error; an accepted message is counted by <see cref="Delivery"/>.</summary>
    public void Attempted(string channel, string provider, SendResult result)
    {
        var kind = result switch
        {
            SendResult.Transient => "transient",
            SendResult.Permanent => "permanent",
            _ => null,
        };
        if (kind is not null)
        {
            _providerErrors.Add(
                1,
                new KeyValuePair<string, object?>("channel", channel),
                new KeyValuePair<string, object?>("provider", provider),
                new KeyValuePair<string, object?>("kind", kind));
        }
    }
}
