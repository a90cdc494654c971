namespace TeamPlatform.Internal;

/// <summary>
/// The resource name of each process: the AppHost names its resources so, service discovery resolves
/// <c>http://{name}</c>, the gateway's clusters carry it, and each service tells the services it calls who it is.
/// </summary>
public static class ServiceNames
{
    public const string Identity = "identity";
    public const string Permission = "permission";
    public const string Invitation = "invitation";
    public const string Notification = "notification";
    public const string Gateway = "gateway";
    public const string Console = "console";

    /// <summary>The local proxy on port 5080 in front of several gateways (the AppHost only; an ingress in Kubernetes).</summary>
    public const string Edge = "edge";

    /// <summary>The services behind the gateway's public API.</summary>
    public static readonly IReadOnlyList<string> Api = [Identity, Permission, Invitation, Notification];
}
