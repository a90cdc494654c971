namespace TeamPlatform.Contracts.Tests;

/// <summary>The working copy the tests run from: found by walking up to the solution file.</summary>
internal static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TeamPlatform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No TeamPlatform.sln above {AppContext.BaseDirectory}.");
    });

    public static string PathOf(string relative) => Path.Combine(LazyRoot.Value, relative);

    /// <summary>Whether the environment variable <paramref name="name"/> asks to rewrite a committed file.</summary>
    public static bool AsksToUpdate(string name) => Environment.GetEnvironmentVariable(name) == "1";
}
