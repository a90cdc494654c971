using TeamPlatform.Internal;

namespace TeamPlatform.Deployment.Tests;

/// <summary>A deployable process: its Kubernetes name (the name others reach it by) and its project.</summary>
public sealed record Process(string Name, string ProjectDirectory, string ProjectFile)
{
    public static readonly Process Gateway = new(ServiceNames.Gateway, "gateway", "TeamPlatform.Gateway.csproj");
    public static readonly Process Identity = new(ServiceNames.Identity, "services/Identity", "TeamPlatform.Identity.csproj");
    public static readonly Process Permission = new(ServiceNames.Permission, "services/Permissions", "TeamPlatform.Permissions.csproj");
    public static readonly Process Invitation = new(ServiceNames.Invitation, "services/Invitations", "TeamPlatform.Invitations.csproj");
    public static readonly Process Notification = new(ServiceNames.Notification, "services/Notifications", "TeamPlatform.Notifications.csproj");
    public static readonly Process Console = new(ServiceNames.Console, "services/Console", "TeamPlatform.Console.csproj");

    public static readonly IReadOnlyList<Process> All = [Gateway, Identity, Permission, Invitation, Notification, Console];

    public static Process Named(string name) => All.Single(p => p.Name == name);

    public string ProjectPath => Path.Combine(Repository.Root, ProjectDirectory, ProjectFile);

    public override string ToString() => Name;
}
