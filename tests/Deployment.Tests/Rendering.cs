using k8s;
using k8s.Models;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

public enum Overlay
{
    Development,
    Production,
}

/// <summary>
/// One overlay as rendered by <c>kubectl kustomize</c>, loaded with the Kubernetes client's typed models. Loading is
/// strict: a field the models do not know (a typo, a field of another API version) fails, and so does a kind not
/// listed here.
/// </summary>
public sealed class Rendering
{
    private static readonly Dictionary<string, Type> Kinds = new()
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Secret"] = typeof(V1Secret),
        ["v1/Service"] = typeof(V1Service),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["apps/v1/StatefulSet"] = typeof(V1StatefulSet),
        ["policy/v1/PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["autoscaling/v2/HorizontalPodAutoscaler"] = typeof(V2HorizontalPodAutoscaler),
        ["networking.k8s.io/v1/Ingress"] = typeof(V1Ingress),
        ["networking.k8s.io/v1/NetworkPolicy"] = typeof(V1NetworkPolicy),
        [$"{PostgresCluster.KubeGroupAndVersion}/{PostgresCluster.KubeKind}"] = typeof(PostgresCluster),
        [$"{RabbitmqCluster.KubeGroupAndVersion}/{RabbitmqCluster.KubeKind}"] = typeof(RabbitmqCluster),
    };

    private Rendering(Overlay overlay, List<object> objects)
    {
        Overlay = overlay;
        Objects = objects;
    }

    public Overlay Overlay { get; }

    public List<object> Objects { get; }

    public string Namespace => TheOnly<V1Namespace>().Metadata.Name;

    public static string OverlayName(Overlay overlay) => overlay.ToString().ToLowerInvariant();

    /// <summary>The committed rendering of <paramref name="overlay"/> (deploy/kubernetes/rendered).</summary>
    public static Rendering Committed(Overlay overlay) => Parse(overlay, File.ReadAllText(Repository.RenderedFile(OverlayName(overlay))));

    public static Rendering Parse(Overlay overlay, string yaml) => new(overlay, KubernetesYaml.LoadAllFromString(yaml, Kinds, strict: true));

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T TheOnly<T>() => Assert.Single(All<T>());

    public T? Named<T>(string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name);

    public V1Deployment Deployment(string process) => Named<V1Deployment>(process) ?? throw new InvalidOperationException($"No Deployment {process}.");

    public V1Container Container(string process) => Assert.Single(Deployment(process).Spec.Template.Spec.Containers);

    /// <summary>A copy to change in a test that shows a check catches what it should.</summary>
    public Rendering Copy() => Parse(Overlay, KubernetesYaml.SerializeAll(Objects));
}
