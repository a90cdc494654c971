using Xunit;

namespace TeamPlatform.Deployment.Tests;

public sealed class NetworkPolicyTests
{
    /// <summary>Who calls whom over HTTP: the gateway routes to every service and the console; the /internal calls of docs/internal-api.md.</summary>
    private static readonly Dictionary<string, string[]> Callers = new()
    {
        ["gateway"] = ["console"],
        ["identity"] = ["gateway", "permission", "invitation", "notification"],
        ["permission"] = ["gateway", "identity", "invitation", "notification"],
        ["invitation"] = ["gateway", "identity"],
        ["notification"] = ["gateway"],
        ["console"] = ["gateway"],
    };

    /// <summary>Outside the namespace, only the ingress controller reaches anything (the gateway), besides each operator its own servers.</summary>
    private const string IngressController = "ingress-nginx";

    private static readonly string[] OtherNamespaces = [IngressController, "default", "kube-system", "cnpg-system", "rabbitmq-system", "monitoring"];

    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void The_policies_let_through_what_the_system_needs_and_nothing_else(Overlay overlay)
    {
        Assert.Empty(Problems(Rendering.Committed(overlay)));
    }

    [Fact]
    public void A_service_left_without_its_policy_is_found()
    {
        var rendering = Rendering.Committed(Overlay.Production).Copy();
        rendering.Objects.Remove(rendering.Named<k8s.Models.V1NetworkPolicy>("identity")!);

        Assert.Contains("gateway cannot reach identity:8080", Problems(rendering));
    }

    [Fact]
    public void A_policy_that_lets_a_service_reach_one_it_does_not_call_is_found()
    {
        var rendering = Rendering.Committed(Overlay.Production).Copy();
        rendering.Named<k8s.Models.V1NetworkPolicy>("notification")!.Spec.Ingress[0].FromProperty[0].PodSelector.MatchLabels["app.kubernetes.io/name"] = "permission";

        Assert.Contains("permission reaches notification:8080", Problems(rendering));
    }

    [Fact]
    public void A_namespace_without_a_default_deny_lets_everyone_reach_the_database_of_development()
    {
        var rendering = Rendering.Committed(Overlay.Development).Copy();
        rendering.Objects.Remove(rendering.Named<k8s.Models.V1NetworkPolicy>("default-deny-ingress")!);
        rendering.Objects.Remove(rendering.Named<k8s.Models.V1NetworkPolicy>("postgres-clients")!);

        Assert.Contains("default/default reaches postgres:5432", Problems(rendering));
    }

    private static List<string> Problems(Rendering rendering)
    {
        var reach = new NetworkReach(rendering);
        var problems = new List<string>();
        var expected = Expected(rendering, reach);
        var sources = reach.Pods.Concat(OtherNamespaces.Select(NetworkReach.Outside)).ToList();
        foreach (var from in sources)
        {
            foreach (var to in reach.Pods.Where(to => to != from))
            {
                foreach (var port in to.Ports)
                {
                    var allowed = reach.Allows(from, to, port);
                    var wanted = expected.Contains((from.ToString(), to.Name, port.Number)) || IsOperatorTraffic(from, to, port.Number, rendering);
                    if (allowed && !wanted)
                    {
                        problems.Add($"{from} reaches {to}:{port.Number}");
                    }
                    else if (!allowed && expected.Contains((from.ToString(), to.Name, port.Number)))
                    {
                        problems.Add($"{from} cannot reach {to}:{port.Number}");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>The connections the system makes: HTTP calls, each process to its database and the broker, the ingress to the gateway.</summary>
    private static HashSet<(string From, string To, int Port)> Expected(Rendering rendering, NetworkReach reach)
    {
        var expected = new HashSet<(string, string, int)>();
        foreach (var (callee, callers) in Callers)
        {
            var port = reach.PodOf(callee).Ports.Single(p => p.Name == WorkloadRules.PortName).Number;
            expected.UnionWith(callers.Select(caller => (caller, callee, port)));
        }

        var gateway = reach.PodOf(Process.Gateway.Name);
        expected.Add((NetworkReach.Outside(IngressController).ToString(), gateway.Name, gateway.Ports.Single(p => p.Name == WorkloadRules.PortName).Number));

        foreach (var process in Process.All)
        {
            foreach (var (server, port) in BackingServers.Of(rendering, process.Name))
            {
                expected.Add((process.Name, server, port));
            }
        }

        return expected;
    }

    /// <summary>
    /// What the servers need among themselves and from their operators: a database cluster's instances replicate and
    /// its operator reads their status; the broker's nodes cluster and its operator uses the management API.
    /// </summary>
    private static bool IsOperatorTraffic(Pod from, Pod to, int port, Rendering rendering)
    {
        var isDatabaseCluster = rendering.All<PostgresCluster>().Any(c => c.Metadata.Name == to.Name);
        var isBrokerCluster = rendering.All<RabbitmqCluster>().Any(c => c.Metadata.Name == to.Name);
        return (isDatabaseCluster && (from.Name == to.Name || (from.Namespace == "cnpg-system" && port == 8000)))
               || (isBrokerCluster && (from.Name == to.Name || (from.Namespace == "rabbitmq-system" && port == 15672)));
    }
}
