namespace TeamPlatform.AppHost;

/// <summary>
/// One process run as <c>Replicas:{name}</c> instances: the primary, named <c>{name}</c>, and its replicas <c>{name}-b</c>,
/// <c>{name}-c</c>…, each a named resource of its own so that a test can address or stop one alone.
/// </summary>
internal sealed class Instances(IResourceBuilder<ProjectResource> primary, IReadOnlyList<IResourceBuilder<ProjectResource>> replicas)
{
    public IResourceBuilder<ProjectResource> Primary { get; } = primary;

    /// <summary>The instances after the primary; empty with one replica.</summary>
    public IReadOnlyList<IResourceBuilder<ProjectResource>> Replicas { get; } = replicas;

    public string Name => Primary.Resource.Name;

    public IEnumerable<IResourceBuilder<ProjectResource>> All => Replicas.Prepend(Primary);

    /// <summary>The resource name of the instance at <paramref name="index"/> (0 is the primary): <c>permission</c>, <c>permission-b</c>…</summary>
    public static string InstanceName(string name, int index) => index == 0 ? name : $"{name}-{(char)('a' + index)}";

    /// <summary>Applies the same settings to every instance.</summary>
    public Instances Each(Action<IResourceBuilder<ProjectResource>> configure)
    {
        foreach (var instance in All)
        {
            configure(instance);
        }

        return this;
    }

    /// <summary>
    /// Makes <c>http://{target}</c> resolve to every instance of <paramref name="target"/> in each of these instances:
    /// the primary's reference writes <c>services__{target}__http__0</c>, and each replica is added as
    /// <c>services__{target}__http__1</c>, <c>__2</c>… Service discovery reads the entries of that section as the
    /// service's endpoints and spreads the calls of an <see cref="HttpClient"/> over them in turn; YARP's destination
    /// resolver turns the one destination <c>http://{target}</c> into one destination per endpoint.
    /// </summary>
    public Instances WithReference(Instances target) => Each(instance =>
    {
        instance.WithReference(target.Primary);
        for (var i = 0; i < target.Replicas.Count; i++)
        {
            instance.WithReferenceRelationship(target.Replicas[i].Resource)
                .WithEnvironment($"services__{target.Name}__http__{i + 1}", target.Replicas[i].GetEndpoint("http"));
        }
    });
}
