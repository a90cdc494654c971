using k8s.Models;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

public sealed class IngressTests
{
    [Theory]
    [InlineData(Overlay.Development)]
    [InlineData(Overlay.Production)]
    public void The_gateway_alone_is_behind_the_ingress_over_tls_on_the_host_the_issuer_names(Overlay overlay)
    {
        var rendering = Rendering.Committed(overlay);
        var ingress = rendering.TheOnly<V1Ingress>();
        var rule = Assert.Single(ingress.Spec.Rules);
        var tls = Assert.Single(ingress.Spec.Tls);

        Assert.Contains(rule.Host, tls.Hosts);
        Assert.True(rendering.Named<V1Secret>(tls.SecretName) is not null || SecretsMadeOutside.For(rendering).ContainsKey(tls.SecretName),
            $"The TLS Secret {tls.SecretName} is neither in the rendering nor made by the README's steps.");
        var backend = Assert.Single(rule.Http.Paths).Backend.Service;
        Assert.Equal(Process.Gateway.Name, backend.Name);
        Assert.Contains(rendering.Named<V1Service>(backend.Name)!.Spec.Ports, port => port.Name == backend.Port.Name);

        // Tokens name the public URL as their issuer; links point at it.
        var variables = ContainerEnvironment.Of(rendering, Process.Gateway.Name).Variables;
        Assert.Equal($"https://{rule.Host}/", variables["Authentication__Issuer"]);
        Assert.Equal($"https://{rule.Host}/", variables["TeamPlatform__PublicBaseUrl"]);
    }
}
