using Aspire.Hosting.ApplicationModel;
using TeamPlatform.Internal;
using Xunit;

namespace TeamPlatform.AppHost.Tests;

/// <summary>The AppHost's model, read without starting anything: what runs, what waits for what, what reaches what.</summary>
public sealed class ModelTests
{
    private static readonly string[] Processes =
        [ServiceNames.Identity, ServiceNames.Permission, ServiceNames.Invitation, ServiceNames.Notification, ServiceNames.Console, ServiceNames.Gateway];

    [Fact]
    public async Task The_gateway_routes_to_every_service_and_counts_in_its_own_database_but_waits_only_for_the_broker()
    {
        await using var builder = await Model.CreateAsync(replicas: 2);

        foreach (var gateway in new[] { ServiceNames.Gateway, "gateway-b" }.Select(builder.Project))
        {
            var waitedFor = gateway.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).Where(name => name != ServiceNames.Gateway);
            var referenced = gateway.Annotations.OfType<ResourceRelationshipAnnotation>().Select(relation => relation.Resource.Name).ToHashSet();

            Assert.Equal(["rabbitmq"], waitedFor);
            Assert.Superset(new HashSet<string>([.. ServiceNames.Api, .. ServiceNames.Api.Select(service => $"{service}-b"), ServiceNames.Console, "console-b", "gatewaydb"]), referenced);
        }

        // One database however many gateways there are: they share the rate limit counts in it.
        Assert.Single(builder.Resources, resource => resource.Name == "gatewaydb" && resource is IResourceWithConnectionString);
    }

    [Fact]
    public async Task By_default_each_process_runs_once_and_the_gateway_itself_is_on_port_5080()
    {
        await using var builder = await Model.CreateAsync(replicas: null);

        Assert.Equal(Processes.Order(), builder.Resources.OfType<ProjectResource>().Select(project => project.Name).Order());
        var front = builder.Project(ServiceNames.Gateway).Annotations.OfType<EndpointAnnotation>().Single(endpoint => endpoint.Name == "http");
        Assert.Equal(5080, front.Port);
        Assert.True(front.IsExternal);
    }

    [Fact]
    public async Task Each_process_runs_as_its_configured_number_of_named_instances_and_replicas_wait_for_the_primary()
    {
        await using var builder = await Model.CreateAsync(replicas: 3);

        foreach (var process in Processes)
        {
            foreach (var replica in new[] { $"{process}-b", $"{process}-c" }.Select(builder.Project))
            {
                Assert.Contains(process, replica.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name));
                var endpoint = replica.Annotations.OfType<EndpointAnnotation>().Single(endpoint => endpoint.Name == "http");
                Assert.Null(endpoint.Port);
                Assert.False(endpoint.IsProxied);
            }

            Assert.DoesNotContain(builder.Resources, resource => resource.Name == $"{process}-d");
        }
    }

    [Fact]
    public async Task With_several_gateways_the_edge_takes_port_5080_and_every_service_is_told_its_address_as_the_issuer()
    {
        await using var model = await Model.AllocatedAsync(replicas: 2);

        var edge = model.Project(ServiceNames.Edge).Annotations.OfType<EndpointAnnotation>().Single(endpoint => endpoint.Name == "http");
        Assert.Equal(5080, edge.Port);
        Assert.True(edge.IsExternal);
        Assert.All(new[] { ServiceNames.Gateway, "gateway-b" }.Select(model.Project), gateway =>
            Assert.False(gateway.Annotations.OfType<EndpointAnnotation>().Single(endpoint => endpoint.Name == "http").IsExternal));

        foreach (var process in new[] { ServiceNames.Identity, "identity-b", ServiceNames.Permission, "permission-b", ServiceNames.Gateway, "gateway-b" })
        {
            var environment = await model.EnvironmentOfAsync(process);
            Assert.Equal(model.UrlOf(ServiceNames.Edge), environment["Authentication__Issuer"]);
        }

        var edgeEnvironment = await model.EnvironmentOfAsync(ServiceNames.Edge);
        Assert.Equal(model.UrlOf(ServiceNames.Gateway), edgeEnvironment["services__gateway__http__0"]);
        Assert.Equal(model.UrlOf("gateway-b"), edgeEnvironment["services__gateway__http__1"]);

        // The console's calls go through the edge, which leaves out a gateway that died.
        foreach (var console in new[] { ServiceNames.Console, "console-b" })
        {
            var environment = await model.EnvironmentOfAsync(console);
            Assert.Equal("http://edge", environment["Console__GatewayUrl"]);
            Assert.Equal(model.UrlOf(ServiceNames.Edge), environment["services__edge__http__0"]);
        }
    }

    [Theory]
    [InlineData(ServiceNames.Invitation, ServiceNames.Permission)]
    [InlineData("invitation-b", ServiceNames.Identity)]
    [InlineData(ServiceNames.Notification, ServiceNames.Identity)]
    [InlineData(ServiceNames.Identity, ServiceNames.Invitation)]
    [InlineData("permission-b", ServiceNames.Identity)]
    [InlineData(ServiceNames.Edge, ServiceNames.Gateway)]
    [InlineData("gateway-b", ServiceNames.Console)]
    [InlineData(ServiceNames.Gateway, ServiceNames.Notification)]
    public async Task A_reference_to_a_service_lists_every_instance_under_the_services_name(string caller, string callee)
    {
        await using var model = await Model.AllocatedAsync(replicas: 3);

        var environment = await model.EnvironmentOfAsync(caller);

        Assert.Equal(model.UrlOf(callee), environment[$"services__{callee}__http__0"]);
        Assert.Equal(model.UrlOf($"{callee}-b"), environment[$"services__{callee}__http__1"]);
        Assert.Equal(model.UrlOf($"{callee}-c"), environment[$"services__{callee}__http__2"]);
        Assert.False(environment.ContainsKey($"services__{callee}__http__3"));
    }
}
