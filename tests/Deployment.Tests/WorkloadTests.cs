using k8s.Models;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

public sealed class WorkloadTests
{
    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void Every_process_has_a_deployment_with_probes_resources_and_a_locked_down_container_a_service_a_budget_and_an_autoscaler(Overlay overlay)
    {
        Assert.Empty(WorkloadRules.Problems(Rendering.Committed(overlay)));
    }

    [Fact]
    public void Development_runs_one_instance_and_production_at_least_two_of_every_process()
    {
        foreach (var process in Process.All)
        {
            Assert.Equal(1, Rendering.Committed(Overlay.Development).Named<V2HorizontalPodAutoscaler>(process.Name)!.Spec.MinReplicas);
            Assert.True(Rendering.Committed(Overlay.Production).Named<V2HorizontalPodAutoscaler>(process.Name)!.Spec.MinReplicas >= 2);
        }
    }

    public static TheoryData<string> Flaws => [.. Planted.Keys];

    [Theory]
    [MemberData(nameof(Flaws))]
    public void A_flaw_planted_in_a_copy_of_the_rendering_is_found(string flaw)
    {
        var (overlay, plant, expected) = Planted[flaw];
        var rendering = Rendering.Committed(overlay).Copy();
        Assert.Empty(WorkloadRules.Problems(rendering));

        plant(rendering);

        Assert.Contains(WorkloadRules.Problems(rendering), problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    private static readonly Dictionary<string, (Overlay Overlay, Action<Rendering> Plant, string Expected)> Planted = new()
    {
        ["readiness on a route the process does not serve"] = (Overlay.Production,
            r => r.Container("identity").ReadinessProbe.HttpGet.Path = "/healthz", "identity: the readiness probe asks /healthz"),
        ["liveness on the readiness route"] = (Overlay.Production,
            r => r.Container("gateway").LivenessProbe.HttpGet.Path = "/health", "gateway: the liveness probe asks /health"),
        ["no start-up probe"] = (Overlay.Development, r => r.Container("permission").StartupProbe = null, "permission: no HTTP startup probe"),
        ["no memory limit"] = (Overlay.Production, r => r.Container("console").Resources.Limits.Remove("memory"), "console: no memory limit"),
        ["a writable root filesystem"] = (Overlay.Production,
            r => r.Container("notification").SecurityContext.ReadOnlyRootFilesystem = false, "notification: the root filesystem is writable"),
        ["root"] = (Overlay.Production, r => r.Deployment("invitation").Spec.Template.Spec.SecurityContext.RunAsNonRoot = false, "invitation: not run as a non-root user"),
        ["no /tmp"] = (Overlay.Development, r => r.Container("identity").VolumeMounts.Clear(), "identity: /tmp is not a writable emptyDir"),
        ["replicas fixed in the Deployment"] = (Overlay.Production, r => r.Deployment("gateway").Spec.Replicas = 2, "gateway: the Deployment sets replicas"),
        ["no budget"] = (Overlay.Production, r => r.Objects.Remove(r.Named<V1PodDisruptionBudget>("permission")!), "permission: 0 PodDisruptionBudgets"),
        ["a budget that blocks every drain"] = (Overlay.Production,
            r => r.Named<V1PodDisruptionBudget>("identity")!.Spec = new V1PodDisruptionBudgetSpec { MinAvailable = "2", Selector = r.Named<V1PodDisruptionBudget>("identity")!.Spec.Selector },
            "identity: the PodDisruptionBudget keeps 2 of 2"),
        ["no autoscaler"] = (Overlay.Development, r => r.Objects.Remove(r.Named<V2HorizontalPodAutoscaler>("console")!), "console: 0 HorizontalPodAutoscalers"),
        ["one instance in production"] = (Overlay.Production, r => r.Named<V2HorizontalPodAutoscaler>("notification")!.Spec.MinReplicas = 1, "notification: 1 to 6 instances in production"),
        ["two instances in development"] = (Overlay.Development, r => r.Named<V2HorizontalPodAutoscaler>("permission")!.Spec.MaxReplicas = 2, "permission: 1 to 2 instances in development"),
        ["a Service under another name"] = (Overlay.Production, r => r.Named<V1Service>("invitation")!.Metadata.Name = "invitations", "invitation: no Service of that name"),
        ["a Service on another port"] = (Overlay.Development, r => r.Named<V1Service>("permission")!.Spec.Ports[0].Port = 8080, "permission: the Service does not send port 80"),
    };
}
