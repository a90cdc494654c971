using System.Diagnostics;
using System.Text.Json;

namespace TeamPlatform.Deployment.Tests;

/// <summary>The container properties a project publishes its image with (<c>dotnet publish -t:PublishContainer</c>), as MSBuild evaluates them.</summary>
public sealed record ContainerImage(string Repository, string Tag, string BaseImage, string User)
{
    public static readonly string[] Properties = ["ContainerRepository", "ContainerImageTag", "ContainerBaseImage", "ContainerUser"];

    public static async Task<ContainerImage> OfAsync(Process process)
    {
        var start = new ProcessStartInfo("dotnet", ["msbuild", process.ProjectPath, "-nologo", .. Properties.Select(p => $"-getProperty:{p}")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host's own MSBuild settings must not leak into the evaluation.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var msbuild = System.Diagnostics.Process.Start(start)!;
        var output = msbuild.StandardOutput.ReadToEndAsync();
        var errors = msbuild.StandardError.ReadToEndAsync();
        await msbuild.WaitForExitAsync();
        if (msbuild.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet msbuild {process.ProjectFile} failed: {await output}{await errors}");
        }

        var values = JsonDocument.Parse(await output).RootElement.GetProperty("Properties");
        string Value(string name) => values.GetProperty(name).GetString() ?? "";
        return new ContainerImage(Value("ContainerRepository"), Value("ContainerImageTag"), Value("ContainerBaseImage"), Value("ContainerUser"));
    }
}
