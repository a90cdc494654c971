using k8s.Models;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

/// <summary>
/// Every ConfigMap, Secret and key the manifests name exists, and each process starts on what they give it: the
/// settings a process needs at start are whatever its own code checks at start (its options validated on start, the
/// settings it reads while it is built), not a list kept here.
/// </summary>
public sealed class ConfigurationTests
{
    public static TheoryData<Overlay, string> OverlaysAndProcesses()
    {
        var data = new TheoryData<Overlay, string>();
        foreach (var overlay in Enum.GetValues<Overlay>())
        {
            foreach (var process in Process.All)
            {
                data.Add(overlay, process.Name);
            }
        }

        return data;
    }

    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void Every_configmap_secret_and_key_a_container_names_exists(Overlay overlay)
    {
        var rendering = Rendering.Committed(overlay);
        var outside = SecretsMadeOutside.For(rendering);
        var containers = rendering.All<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers)
            .Concat(rendering.All<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers));

        Assert.Empty(containers.SelectMany(container => ContainerEnvironment.Of(rendering, container, outside).Problems));
    }

    [Theory]
    [MemberData(nameof(OverlaysAndProcesses))]
    public async Task The_process_starts_on_the_configuration_the_manifests_give_it_and_answers_its_probes(Overlay overlay, string process)
    {
        var rendering = Rendering.Committed(overlay);
        var environment = ContainerEnvironment.Of(rendering, process);
        Assert.Empty(environment.Problems);
        var container = rendering.Container(process);
        var (liveness, readiness, startup) = (container.LivenessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Path, container.StartupProbe.HttpGet.Path);

        var answers = await ProcessStart.StartAndProbeAsync(Process.Named(process), environment, new HashSet<string> { liveness, readiness, startup });

        Assert.Equal(200, answers[liveness].Status);
        Assert.Equal(200, answers[startup].Status);
        // Ready or not (there is no database here), the readiness route answers with its report of the checks.
        Assert.Contains(answers[readiness].Status, new[] { 200, 503 });
        Assert.Contains("\"checks\"", answers[readiness].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_probe_on_a_route_the_process_does_not_serve_is_found()
    {
        var environment = ContainerEnvironment.Of(Rendering.Committed(Overlay.Production), "permission");

        var answers = await ProcessStart.StartAndProbeAsync(Process.Permission, environment, ["/healthz"]);

        Assert.Equal(404, answers["/healthz"].Status);
    }

    [Theory]
    [InlineData(Overlay.Production, "identity", "Identity__Otp__HashKey", "The HashKey field is required")]
    [InlineData(Overlay.Production, "notification", "Notifications__WhatsApp__AccessToken", "No WhatsApp provider is configured")]
    [InlineData(Overlay.Production, "notification", "Notifications__WhatsApp__PhoneNumberId", "PhoneNumberId is required")]
    [InlineData(Overlay.Development, "invitation", "TeamPlatform__PublicBaseUrl", "The PublicBaseUrl field is required")]
    [InlineData(Overlay.Development, "permission", "ConnectionStrings__permissiondb", "Connection string 'permissiondb' is missing")]
    [InlineData(Overlay.Production, "gateway", "InternalServices__Key", "The Key field is required")]
    [InlineData(Overlay.Production, "gateway", "ConnectionStrings__gatewaydb", "Connection string 'gatewaydb' is missing")]
    [InlineData(Overlay.Production, "console", "ConnectionStrings__consoledb", "Connection string 'consoledb' is missing")]
    public async Task A_process_missing_a_setting_it_checks_at_start_does_not_start(Overlay overlay, string process, string variable, string expected)
    {
        var environment = ContainerEnvironment.Of(Rendering.Committed(overlay), process);
        Assert.True(environment.Variables.Remove(variable), $"{process} has no {variable} in {overlay}.");

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() => ProcessStart.StartAndProbeAsync(Process.Named(process), environment, ["/alive"]));

        Assert.Contains(expected, refusal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_missing_from_a_secret_is_found()
    {
        var rendering = Rendering.Committed(Overlay.Development).Copy();
        var secret = rendering.All<V1Secret>().Single(s => s.Metadata.Name.StartsWith("permission-db-app", StringComparison.Ordinal));
        secret.Data.Remove("password");

        var problems = ContainerEnvironment.Of(rendering, "permission").Problems;

        Assert.Contains(problems, p => p.Contains("DATABASE_PASSWORD refers to key password of Secret permission-db-app", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_the_readme_does_not_create_is_found()
    {
        var rendering = Rendering.Committed(Overlay.Production);
        var outside = SecretsMadeOutside.For(rendering);
        Assert.True(outside.Remove("identity-secrets"), "The README's production steps create no identity-secrets.");

        var problems = ContainerEnvironment.Of(rendering, rendering.Container("identity"), outside).Problems;

        Assert.Contains(problems, p => p.Contains("envFrom names Secret identity-secrets, which does not exist", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void Every_process_listens_on_the_port_its_probes_and_service_use(Overlay overlay)
    {
        var rendering = Rendering.Committed(overlay);
        foreach (var process in Process.All)
        {
            var port = rendering.Container(process.Name).Ports.Single(p => p.Name == WorkloadRules.PortName).ContainerPort;
            Assert.Equal(port.ToString(), ContainerEnvironment.Of(rendering, process.Name).Variables["ASPNETCORE_HTTP_PORTS"]);
        }
    }

    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void Every_process_sends_its_telemetry_to_the_collector_under_its_own_name(Overlay overlay)
    {
        var rendering = Rendering.Committed(overlay);
        foreach (var process in Process.All)
        {
            var variables = ContainerEnvironment.Of(rendering, process.Name).Variables;
            Assert.True(Uri.TryCreate(variables["OTEL_EXPORTER_OTLP_ENDPOINT"], UriKind.Absolute, out _), process.Name);
            Assert.Equal(process.Name, variables["OTEL_SERVICE_NAME"]);
        }
    }

    [Fact]
    public void Signing_keys_are_not_in_a_secret()
    {
        // Decision 0101: identity keeps its signing keys in its database, never in the cluster's Secrets.
        foreach (var overlay in Enum.GetValues<Overlay>())
        {
            var rendering = Rendering.Committed(overlay);
            var keys = rendering.All<V1Secret>().SelectMany(s => s.Data?.Keys ?? []).Concat(SecretsMadeOutside.For(rendering).SelectMany(s => s.Value.Keys));
            Assert.DoesNotContain(keys, key => key.Contains("Signing", StringComparison.OrdinalIgnoreCase) || key.Contains("Certificate", StringComparison.OrdinalIgnoreCase));
        }
    }
}
