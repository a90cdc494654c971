using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using TeamPlatform.Internal;
using Xunit;

namespace TeamPlatform.AppHost.Tests;

/// <summary>The AppHost's model, read without starting anything: what waits for what.</summary>
public sealed class ModelTests
{
    [Fact]
    public async Task The_gateway_routes_to_every_service_and_counts_in_its_own_database_but_waits_only_for_the_broker()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeamPlatform_AppHost>(
        [
            "--Servers:Mode=local",
            "--ConnectionStrings:postgres=Host=127.0.0.1",
            "--ConnectionStrings:rabbitmq=amqp://127.0.0.1",
            "--Permission:Replicas=2",
        ]);

        var gateway = builder.Resources.Single(resource => resource.Name == ServiceNames.Gateway);
        var waitedFor = gateway.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name);
        var referenced = gateway.Annotations.OfType<ResourceRelationshipAnnotation>().Select(relation => relation.Resource.Name).ToHashSet();

        Assert.Equal(["rabbitmq"], waitedFor);
        Assert.Superset(new HashSet<string>([.. ServiceNames.Api, "permission-b", ServiceNames.Console, "gatewaydb"]), referenced);
        Assert.Contains(builder.Resources, resource => resource.Name == "gatewaydb" && resource is IResourceWithConnectionString);
    }
}
