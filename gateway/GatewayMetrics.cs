using System.Diagnostics.Metrics;

namespace TeamPlatform.Gateway;

/// <summary>What the gateway turns away on its own account (service answers are counted by the services).</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "TeamPlatform.Gateway";

    private readonly Counter<long> _rateLimitRefusals;

    public GatewayMetrics(IMeterFactory meters) =>
        _rateLimitRefusals = meters.Create(MeterName).CreateCounter<long>(
            "teamplatform.gateway.rate_limit.refusals", unit: "{request}",
            description: "Requests refused with 429 by the gateway's rate limits, by policy");

    public void RateLimitRefused(string policy) =>
        _rateLimitRefusals.Add(1, new KeyValuePair<string, object?>("policy", policy));
}
