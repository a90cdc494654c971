using k8s.Models;

namespace TeamPlatform.Deployment.Tests;

/// <summary>A pod somewhere in the cluster: its namespace, its labels and the ports it listens on (number and name).</summary>
public sealed record Pod(string Name, string Namespace, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(int Number, string? Name)> Ports)
{
    public override string ToString() => Namespace == "teamplatform" ? Name : $"{Namespace}/{Name}";
}

/// <summary>
/// Who may open a connection to whom under a rendering's NetworkPolicies, as a cluster that enforces them decides
/// (ingress rules only: a pod no policy selects accepts everything; one that some policy selects accepts what one of
/// their rules allows).
/// </summary>
public sealed class NetworkReach(Rendering rendering)
{
    /// <summary>The pods of the namespace: the Deployments' and StatefulSets', and those the operators make for their resources.</summary>
    public IReadOnlyList<Pod> Pods { get; } = PodsOf(rendering);

    public Pod PodOf(string name) => Pods.Single(p => p.Name == name);

    /// <summary>A pod of another namespace (the ingress controller's, an operator's, anyone's).</summary>
    public static Pod Outside(string @namespace) => new(@namespace, @namespace, new Dictionary<string, string> { ["app.kubernetes.io/name"] = @namespace }, []);

    public bool Allows(Pod from, Pod to, (int Number, string? Name) port)
    {
        var policies = rendering.All<V1NetworkPolicy>()
            .Where(p => p.Spec.PolicyTypes?.Contains("Ingress") != false && WorkloadRules.Selects(p.Spec.PodSelector, Mutable(to.Labels)))
            .ToList();
        if (policies.Count == 0)
        {
            return true;
        }

        return policies.SelectMany(p => p.Spec.Ingress ?? []).Any(rule =>
            (rule.FromProperty is not { Count: > 0 } peers || peers.Any(peer => Matches(peer, from)))
            && (rule.Ports is not { Count: > 0 } ports || ports.Any(p => p.Port is null || p.Port.Value == port.Number.ToString() || p.Port.Value == port.Name)));
    }

    private bool Matches(V1NetworkPolicyPeer peer, Pod from)
    {
        if (peer.IpBlock is not null)
        {
            throw new NotSupportedException("ipBlock peers: the manifests select pods and namespaces.");
        }

        var namespaceLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = from.Namespace };
        var inNamespace = peer.NamespaceSelector is null ? from.Namespace == rendering.Namespace : WorkloadRules.Selects(peer.NamespaceSelector, namespaceLabels);
        var podMatches = peer.PodSelector is null || WorkloadRules.Selects(peer.PodSelector, Mutable(from.Labels));
        return inNamespace && podMatches;
    }

    private static Dictionary<string, string> Mutable(IReadOnlyDictionary<string, string> labels) => new(labels);

    private static List<Pod> PodsOf(Rendering rendering)
    {
        var ns = rendering.Namespace;
        var pods = new List<Pod>();
        foreach (var (name, template) in rendering.All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
                     .Concat(rendering.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template))))
        {
            var ports = template.Spec.Containers.SelectMany(c => c.Ports ?? []).Select(p => (p.ContainerPort, (string?)p.Name)).ToList();
            pods.Add(new Pod(name, ns, new Dictionary<string, string>(template.Metadata.Labels), ports));
        }

        // The labels and ports of the operators' pods, from their documentation.
        foreach (var cluster in rendering.All<PostgresCluster>())
        {
            pods.Add(new Pod(cluster.Metadata.Name, ns, new Dictionary<string, string> { ["cnpg.io/cluster"] = cluster.Metadata.Name, ["cnpg.io/podRole"] = "instance" },
                [(5432, "postgresql"), (8000, "status"), (9187, "metrics")]));
        }

        foreach (var broker in rendering.All<RabbitmqCluster>())
        {
            pods.Add(new Pod(broker.Metadata.Name, ns,
                new Dictionary<string, string> { ["app.kubernetes.io/name"] = broker.Metadata.Name, ["app.kubernetes.io/component"] = "rabbitmq", ["app.kubernetes.io/part-of"] = "rabbitmq" },
                [(5672, "amqp"), (15672, "management"), (4369, "epmd"), (25672, "cluster-rpc"), (15692, "prometheus")]));
        }

        return pods;
    }
}
