using System.Diagnostics;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

public sealed class RenderingTests
{
    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void The_committed_rendering_loads_with_the_typed_models_strictly(Overlay overlay)
    {
        var rendering = Rendering.Committed(overlay);

        Assert.Equal("teamplatform", rendering.Namespace);
        Assert.Equal(Process.All.Count, rendering.All<k8s.Models.V1Deployment>().Count());
    }

    [Fact]
    public void A_field_the_models_do_not_know_fails_the_loading()
    {
        var yaml = File.ReadAllText(Repository.RenderedFile("development"));
        var misspelt = ReplaceFirst(yaml, "  revisionHistoryLimit: 5\n", "  revisionHistoryLimit: 5\n  replica: 2\n");

        Rendering.Parse(Overlay.Development, yaml);
        Assert.ThrowsAny<Exception>(() => Rendering.Parse(Overlay.Development, misspelt));
    }

    [Fact]
    public void A_field_of_an_operator_resource_the_models_do_not_know_fails_the_loading()
    {
        var yaml = File.ReadAllText(Repository.RenderedFile("production"));
        var misspelt = ReplaceFirst(yaml, "  instances: 2\n", "  instance: 2\n");

        Assert.ThrowsAny<Exception>(() => Rendering.Parse(Overlay.Production, misspelt));
    }

    /// <summary>Where kubectl is installed, the committed rendering must be what the overlays render now (deploy/kubernetes/render.sh).</summary>
    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public async Task The_committed_rendering_is_what_kustomize_renders_from_the_overlay(Overlay overlay)
    {
        if (Kubectl() is not { } kubectl)
        {
            return; // a machine without kubectl validates the committed rendering only (the other tests)
        }

        var start = new ProcessStartInfo(kubectl, ["kustomize", Path.Combine(Repository.Kubernetes, Rendering.OverlayName(overlay))])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kustomize = System.Diagnostics.Process.Start(start)!;
        var rendered = kustomize.StandardOutput.ReadToEndAsync();
        var errors = kustomize.StandardError.ReadToEndAsync();
        await kustomize.WaitForExitAsync();

        Assert.True(kustomize.ExitCode == 0, await errors);
        Assert.True(await rendered == File.ReadAllText(Repository.RenderedFile(Rendering.OverlayName(overlay))),
            $"deploy/kubernetes/rendered/{Rendering.OverlayName(overlay)}.yaml is not what the overlay renders: run deploy/kubernetes/render.sh.");
    }

    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void The_readme_applies_the_overlay_after_publishing_every_image(Overlay overlay)
    {
        var steps = SecretsMadeOutside.ReadmeSteps(overlay);
        var publish = Repository.Read("README.md").Split('\n').Single(line => line.StartsWith("for project in ", StringComparison.Ordinal));

        Assert.Contains($"kubectl apply -k deploy/kubernetes/{Rendering.OverlayName(overlay)}", steps, StringComparison.Ordinal);
        var published = publish.Split(' ').Select(word => word.TrimEnd(';')).ToHashSet();
        Assert.All(Process.All, process => Assert.Contains(process.ProjectDirectory, published));
    }

    private static string? Kubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "kubectl"))
            .FirstOrDefault(File.Exists);

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{old.Trim()}' is not in the rendering.");
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }
}
