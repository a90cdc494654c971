using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace TeamPlatform.Edge;

/// <summary>
/// A gateway that could not be reached (connection refused or reset, no answer) is left out at once for the cluster's
/// reactivation period. YARP's own passive policy waits for a failure rate over a window, which would keep sending a
/// share of every client's requests to a gateway that has been killed.
/// </summary>
internal sealed class FirstTransportFailure(IDestinationHealthUpdater health) : IPassiveHealthCheckPolicy
{
    public const string Name = "FirstTransportFailure";

    string IPassiveHealthCheckPolicy.Name => Name;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        if (context.GetForwarderErrorFeature()?.Error is not { } error || !IsTransportFailure(error))
        {
            return;
        }

        var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? TimeSpan.FromSeconds(5);
        health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
    }

    // Failures on the gateway's side of the connection; a client that went away says nothing about the gateway.
    private static bool IsTransportFailure(ForwarderError error) => error is ForwarderError.Request
        or ForwarderError.RequestTimedOut
        or ForwarderError.RequestBodyDestination
        or ForwarderError.ResponseBodyDestination
        or ForwarderError.UpgradeRequestDestination
        or ForwarderError.UpgradeResponseDestination;
}
