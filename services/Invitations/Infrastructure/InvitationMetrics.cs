using System.Diagnostics.Metrics;

namespace TeamPlatform.Invitations.Infrastructure;

/// <summary>Invitation's work as an operator watches it (docs/operations.md), each counted once its change is committed.</summary>
public sealed class InvitationMetrics
{
    public const string MeterName = "TeamPlatform.Invitations";

    /// <summary>How an invitation was sent: one at a time, or a row of a bulk upload.</summary>
    public const string OneInvitation = "single";

    public const string BulkUpload = "bulk";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _released;

    public InvitationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _sent = meter.CreateCounter<long>(
            "teamplatform.invitations.sent", unit: "{invitation}", description: "Invitations created and queued for delivery, by source (single, bulk)");
        _accepted = meter.CreateCounter<long>(
            "teamplatform.invitations.accepted", unit: "{invitation}", description: "Invitations consumed by a verified registration");
        _expired = meter.CreateCounter<long>(
            "teamplatform.invitations.expired", unit: "{invitation}", description: "Invitations whose expiry was announced, unused");
        _released = meter.CreateCounter<long>(
            "teamplatform.invitations.acceptances_released", unit: "{invitation}",
            description: "Acceptances given back because no member came of them (a registration failed half-way)");
    }

    public void Sent(string source, int count = 1)
    {
        if (count > 0)
        {
            _sent.Add(count, new KeyValuePair<string, object?>("source", source));
        }
    }

    public void Accepted() => _accepted.Add(1);

    public void Expired(int count)
    {
        if (count > 0)
        {
            _expired.Add(count);
        }
    }

    public void Released(int count)
    {
        if (count > 0)
        {
            _released.Add(count);
        }
    }
}
