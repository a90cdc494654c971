namespace TeamPlatform.Deployment.Tests;

internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Kubernetes => Path.Combine(Root, "deploy", "kubernetes");

    public static string RenderedFile(string overlay) => Path.Combine(Kubernetes, "rendered", $"{overlay}.yaml");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TeamPlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TeamPlatform.sln not found above " + AppContext.BaseDirectory);
    }
}
