using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;
using TeamPlatform.Internal;
using Xunit;

namespace TeamPlatform.AppHost.Tests;

/// <summary>
/// What a process makes of the environment the AppHost gives it: Microsoft.Extensions.ServiceDiscovery reads every entry
/// under <c>services:{service}:http</c> as an endpoint of the service, and an internal client's calls go to each in turn.
/// </summary>
public sealed class ServiceDiscoveryTests
{
    [Fact]
    public async Task A_service_name_resolves_to_every_instance_and_calls_go_round_them()
    {
        await using var model = await Model.AllocatedAsync(replicas: 3);
        var instances = new[] { ServiceNames.Permission, "permission-b", "permission-c" }.Select(model.UrlOf).Select(url => new Uri(url)).ToList();
        await using var services = ServicesOf(await model.EnvironmentOfAsync(ServiceNames.Invitation));

        var endpoints = await services.GetRequiredService<ServiceEndpointResolver>().GetEndpointsAsync("http://permission", CancellationToken.None);
        Assert.Equal(3, endpoints.Endpoints.Count);

        var recorder = services.GetRequiredService<Recorder>();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("permission");
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync(new Uri("/internal/ping", UriKind.Relative));
        }

        Assert.Equal(instances.Select(instance => instance.Port).Concat(instances.Select(instance => instance.Port)).Order(), recorder.Ports.Order());
        Assert.Equal(3, recorder.Ports.Take(3).Distinct().Count());
    }

    private static ServiceProvider ServicesOf(Dictionary<string, string> environment)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(variable => KeyValuePair.Create(variable.Key.Replace("__", ":", StringComparison.Ordinal), (string?)variable.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddServiceDiscovery();
        services.AddSingleton<Recorder>();
        services.AddHttpClient("permission", client => client.BaseAddress = new Uri("http://permission"))
            .AddServiceDiscovery()
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<Recorder>());
        return services.BuildServiceProvider();
    }

    /// <summary>Answers every request itself and keeps the port it was addressed to.</summary>
    private sealed class Recorder : HttpMessageHandler
    {
        private readonly List<int> _ports = [];

        public IReadOnlyList<int> Ports => _ports;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_ports)
            {
                _ports.Add(request.RequestUri!.Port);
            }

            return Task.FromResult(new HttpResponseMessage(global::System.Net.HttpStatusCode.OK));
        }
    }
}
