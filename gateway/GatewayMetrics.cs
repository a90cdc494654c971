using System.Diagnostics.Metrics;

namespace TeamPlatform.Gateway;

/// <summary>What the gateway turns away on its own account (service answers are counted by the services).</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "TeamPlatform.Gateway";

    public const string RateLimitStoreUnavailableName = "teamplatform.gateway.rate_limit.store_unavailable";

    private readonly Counter<long> _rateLimitRefusals;
    private readonly Counter<long> _rateLimitStoreUnavailable;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rateLimitRefusals = meter.CreateCounter<long>(
            "teamplatform.gateway.rate_limit.refusals", unit: "{request}",
            description: "Requests refused with 429 by the gateway's rate limits, by policy");
        _rateLimitStoreUnavailable = meter.CreateCounter<long>(
            RateLimitStoreUnavailableName, unit: "{request}",
            description: "Requests let through unlimited because the rate limit store did not answer, by policy");
    }

    public void RateLimitRefused(string policy) =>
        _rateLimitRefusals.Add(1, new KeyValuePair<string, object?>("policy", policy));

    /// <summary>The limit failed open for one request: nobody could say whether the client was over it.</summary>
    public void RateLimitStoreUnavailable(string policy) =>
        _rateLimitStoreUnavailable.Add(1, new KeyValuePair<string, object?>("policy", policy));
}
