using k8s.Models;
using TeamPlatform.ServiceDefaults;

namespace TeamPlatform.Deployment.Tests;

/// <summary>
/// What every deployable process must have in a rendering; each rule answers the problems it finds (none: kept).
/// Tests assert the committed renderings have none, and that a changed copy has the one expected.
/// </summary>
public static class WorkloadRules
{
    public const string PortName = "http";

    /// <summary>Service discovery calls <c>http://{name}</c>: the Service answers on port 80.</summary>
    public const int ServicePort = 80;

    public static List<string> Problems(Rendering rendering) =>
        Process.All.SelectMany(process => ProblemsOf(rendering, process)).Concat(ReplicaProblems(rendering)).ToList();

    public static IEnumerable<string> ProblemsOf(Rendering rendering, Process process)
    {
        var name = process.Name;
        if (rendering.Named<V1Deployment>(name) is not { } deployment)
        {
            yield return $"{name}: no Deployment.";
            yield break;
        }

        var pod = deployment.Spec.Template;
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        if (deployment.Spec.Replicas is not null)
        {
            yield return $"{name}: the Deployment sets replicas, which every apply would reset under its autoscaler.";
        }

        if (!Selects(deployment.Spec.Selector, labels))
        {
            yield return $"{name}: the Deployment's selector does not select its own pods.";
        }

        if (pod.Spec.Containers.Count != 1)
        {
            yield return $"{name}: {pod.Spec.Containers.Count} containers, not one.";
            yield break;
        }

        var container = pod.Spec.Containers[0];
        foreach (var problem in PortAndProbes(name, container).Concat(Resources(name, container)).Concat(Security(name, pod.Spec, container)))
        {
            yield return problem;
        }

        foreach (var problem in ServiceOf(rendering, name, labels).Concat(DisruptionBudgetOf(rendering, name, labels)).Concat(AutoscalerOf(rendering, name)))
        {
            yield return problem;
        }
    }

    /// <summary>Development: one instance of each process. Production: at least two of each, so that one may go.</summary>
    public static IEnumerable<string> ReplicaProblems(Rendering rendering)
    {
        foreach (var process in Process.All)
        {
            if (rendering.Named<V2HorizontalPodAutoscaler>(process.Name) is not { } autoscaler)
            {
                continue; // reported with the process
            }

            var (min, max) = (autoscaler.Spec.MinReplicas ?? 1, autoscaler.Spec.MaxReplicas);
            if (rendering.Overlay == Overlay.Development && (min, max) != (1, 1))
            {
                yield return $"{process}: {min} to {max} instances in development, not one.";
            }

            if (rendering.Overlay == Overlay.Production && (min < 2 || max < min))
            {
                yield return $"{process}: {min} to {max} instances in production, fewer than two.";
            }
        }
    }

    private static IEnumerable<string> PortAndProbes(string name, V1Container container)
    {
        if (container.Ports?.SingleOrDefault(p => p.Name == PortName) is null)
        {
            yield return $"{name}: no container port named {PortName}.";
        }

        var probes = new (string Kind, V1Probe? Probe, string Path)[]
        {
            ("readiness", container.ReadinessProbe, Extensions.HealthPath),
            ("liveness", container.LivenessProbe, Extensions.AlivePath),
            // Migrations run before the port opens: until then only the start-up probe may fail.
            ("startup", container.StartupProbe, Extensions.AlivePath),
        };
        foreach (var (kind, probe, path) in probes)
        {
            if (probe?.HttpGet is not { } get)
            {
                yield return $"{name}: no HTTP {kind} probe.";
            }
            else if (get.Path != path || get.Port.Value != PortName)
            {
                yield return $"{name}: the {kind} probe asks {get.Path} on {get.Port.Value}, not {path} on {PortName}.";
            }
        }
    }

    private static IEnumerable<string> Resources(string name, V1Container container)
    {
        foreach (var resource in new[] { "cpu", "memory" })
        {
            if (container.Resources?.Requests?.ContainsKey(resource) != true)
            {
                yield return $"{name}: no {resource} request.";
            }

            if (container.Resources?.Limits?.ContainsKey(resource) != true)
            {
                yield return $"{name}: no {resource} limit.";
            }
        }

        if (container.Resources?.Requests is { } requests && requests.TryGetValue("memory", out var request)
            && container.Resources.Limits is { } limits && limits.TryGetValue("memory", out var limit)
            && request.ToDecimal() > limit.ToDecimal())
        {
            yield return $"{name}: the memory request is above its limit.";
        }
    }

    private static IEnumerable<string> Security(string name, V1PodSpec pod, V1Container container)
    {
        var podSecurity = pod.SecurityContext;
        var security = container.SecurityContext;
        if ((security?.RunAsNonRoot ?? podSecurity?.RunAsNonRoot) != true || (security?.RunAsUser ?? podSecurity?.RunAsUser ?? 0) == 0)
        {
            yield return $"{name}: not run as a non-root user.";
        }

        if (security?.ReadOnlyRootFilesystem != true)
        {
            yield return $"{name}: the root filesystem is writable.";
        }

        if (security?.AllowPrivilegeEscalation != false)
        {
            yield return $"{name}: privilege escalation is allowed.";
        }

        if (security?.Capabilities?.Drop?.Contains("ALL") != true)
        {
            yield return $"{name}: capabilities are not all dropped.";
        }

        if ((security?.SeccompProfile ?? podSecurity?.SeccompProfile)?.Type != "RuntimeDefault")
        {
            yield return $"{name}: no RuntimeDefault seccomp profile.";
        }

        // .NET writes its diagnostics sockets and large request bodies under /tmp.
        var tmp = container.VolumeMounts?.SingleOrDefault(m => m.MountPath == "/tmp");
        if (tmp is null || pod.Volumes?.SingleOrDefault(v => v.Name == tmp.Name)?.EmptyDir is null)
        {
            yield return $"{name}: /tmp is not a writable emptyDir.";
        }
    }

    private static IEnumerable<string> ServiceOf(Rendering rendering, string name, IDictionary<string, string> podLabels)
    {
        if (rendering.Named<V1Service>(name) is not { } service)
        {
            yield return $"{name}: no Service of that name (others reach it as http://{name}).";
            yield break;
        }

        if (service.Spec.Selector is not { Count: > 0 } selector || !selector.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value))
        {
            yield return $"{name}: the Service does not select the Deployment's pods.";
        }

        if (service.Spec.Ports?.SingleOrDefault(p => p.Port == ServicePort) is not { } port || port.TargetPort?.Value != PortName)
        {
            yield return $"{name}: the Service does not send port {ServicePort} to the container port {PortName}.";
        }
    }

    private static IEnumerable<string> DisruptionBudgetOf(Rendering rendering, string name, IDictionary<string, string> podLabels)
    {
        var budgets = rendering.All<V1PodDisruptionBudget>().Where(b => Selects(b.Spec.Selector, podLabels)).ToList();
        if (budgets.Count != 1)
        {
            yield return $"{name}: {budgets.Count} PodDisruptionBudgets select its pods, not one.";
            yield break;
        }

        // With minAvailable equal to the instances, a node could never be drained.
        var minReplicas = rendering.Named<V2HorizontalPodAutoscaler>(name)?.Spec.MinReplicas ?? 1;
        if (budgets[0].Spec.MinAvailable is { } minAvailable && (!int.TryParse(minAvailable.Value, out var least) || least >= minReplicas))
        {
            yield return $"{name}: the PodDisruptionBudget keeps {minAvailable.Value} of {minReplicas} instances, so none may ever be evicted.";
        }

        if (budgets[0].Spec.MinAvailable is null && budgets[0].Spec.MaxUnavailable is null)
        {
            yield return $"{name}: the PodDisruptionBudget sets no bound.";
        }
    }

    private static IEnumerable<string> AutoscalerOf(Rendering rendering, string name)
    {
        var autoscalers = rendering.All<V2HorizontalPodAutoscaler>()
            .Where(a => a.Spec.ScaleTargetRef is { Kind: "Deployment" } target && target.Name == name).ToList();
        if (autoscalers.Count != 1)
        {
            yield return $"{name}: {autoscalers.Count} HorizontalPodAutoscalers scale its Deployment, not one.";
        }
        else if (autoscalers[0].Spec.Metrics is not { Count: > 0 })
        {
            yield return $"{name}: the HorizontalPodAutoscaler has no metric.";
        }
    }

    public static bool Selects(V1LabelSelector? selector, IDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }

        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);
        var byExpressions = (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => throw new NotSupportedException($"Selector operator {e.OperatorProperty}."),
        });
        return byLabels && byExpressions;
    }
}
