using System.Text.RegularExpressions;
using k8s.Models;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

public sealed partial class ContainerImageTests
{
    public static TheoryData<string> Processes => [.. Process.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Processes))]
    public async Task The_project_publishes_a_pinned_non_root_image_that_both_overlays_run(string process)
    {
        var image = await ContainerImage.OfAsync(Process.Named(process));

        Assert.Equal($"teamplatform/{process}", image.Repository);
        Assert.Matches(Version(), image.Tag);
        Assert.Matches(PinnedBaseImage(), image.BaseImage);
        Assert.True(int.TryParse(image.User, out var user) && user > 0, $"ContainerUser '{image.User}' is not a non-root user id.");
        foreach (var overlay in Enum.GetValues<Overlay>())
        {
            var rendering = Rendering.Committed(overlay);
            Assert.Empty(ImageProblems(rendering, process, image));
        }
    }

    [Fact]
    public async Task A_manifest_that_runs_latest_or_another_repository_is_found()
    {
        var image = await ContainerImage.OfAsync(Process.Identity);
        var rendering = Rendering.Committed(Overlay.Production).Copy();
        var container = rendering.Container("identity");
        Assert.Empty(ImageProblems(rendering, "identity", image));

        container.Image = "registry.example.com/teamplatform/identity:latest";
        Assert.Contains("identity: runs registry.example.com/teamplatform/identity:latest, not teamplatform/identity:1.0.0 (with a registry or not).", ImageProblems(rendering, "identity", image));

        container.Image = "registry.example.com/teamplatform/identities:1.0.0";
        Assert.NotEmpty(ImageProblems(rendering, "identity", image));
    }

    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void Every_server_image_is_pinned_to_a_version(Overlay overlay)
    {
        var rendering = Rendering.Committed(overlay);
        var images = rendering.All<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers).Select(c => c.Image)
            .Concat(rendering.All<PostgresCluster>().Select(c => c.Spec.ImageName))
            .Concat(rendering.All<RabbitmqCluster>().Select(c => c.Spec.Image))
            .ToList();

        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Matches(PinnedServerImage(), image));
    }

    private static List<string> ImageProblems(Rendering rendering, string process, ContainerImage image)
    {
        var problems = new List<string>();
        var pod = rendering.Deployment(process).Spec.Template.Spec;
        var wanted = $"{image.Repository}:{image.Tag}";
        var running = pod.Containers.Single().Image;
        if (running != wanted && !running.EndsWith("/" + wanted, StringComparison.Ordinal))
        {
            problems.Add($"{process}: runs {running}, not {wanted} (with a registry or not).");
        }

        if ((pod.Containers.Single().SecurityContext?.RunAsUser ?? pod.SecurityContext?.RunAsUser)?.ToString() != image.User)
        {
            problems.Add($"{process}: the pod runs as another user than the image's {image.User}.");
        }

        return problems;
    }

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+$")]
    private static partial Regex Version();

    // A patch version (10.0.12, optionally with a variant such as -noble-chiseled) or a digest; never a floating tag.
    [GeneratedRegex(@"^mcr\.microsoft\.com/dotnet/aspnet(:[0-9]+\.[0-9]+\.[0-9]+(-[a-z0-9-]+)?|@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedBaseImage();

    [GeneratedRegex(@"^[a-z0-9./-]+(:[0-9]+\.[0-9]+(\.[0-9]+)?(-[a-z0-9-]+)?|@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedServerImage();
}
