using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.System.Tests;

/// <summary>
/// The whole system as <c>./run.sh</c> starts it (the AppHost: gateway and four services), on databases and a
/// RabbitMQ virtual host of its own. One per test collection: starting it takes seconds, stopping it more.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    private DistributedApplication? _app;

    public HttpClient Gateway { get; private set; } = null!;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The system has not started.");

    public async Task InitializeAsync()
    {
        var servers = await TestServers.Instance;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeamPlatform_AppHost>(
        [
            "--Servers:Mode=local",
            $"--Servers:DatabasePrefix={servers.NewDatabasePrefix()}",
            $"--ConnectionStrings:postgres={servers.Postgres}",
            $"--ConnectionStrings:rabbitmq={await servers.NewVirtualHostAsync()}",
        ]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        _app = await builder.BuildAsync();
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await _app.StartAsync(startup.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);
        Gateway = _app.CreateHttpClient("gateway", "http");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(SystemCollection))]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>;
