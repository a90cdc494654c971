using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Testing;

namespace TeamPlatform.Permissions.Tests;

/// <summary>The permission service in process on the real PostgreSQL and RabbitMQ; replicas share its database and virtual host.</summary>
public sealed class PermissionHost : ServiceHost<PermissionOptions>
{
    private PermissionHost(Dictionary<string, string?> settings)
        : base(settings)
    {
    }

    public string Broker => Settings["ConnectionStrings:rabbitmq"]!;

    public static async Task<PermissionHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var host = new PermissionHost(await SettingsAsync(PermissionService.Name, settings));
        _ = host.Server;
        return host;
    }

    /// <summary>Another replica of the same deployment: same database, same virtual host, its own queue.</summary>
    public PermissionHost StartReplica()
    {
        var replica = new PermissionHost(new Dictionary<string, string?>(Settings));
        _ = replica.Server;
        return replica;
    }

    /// <summary>A client calling with a service's client-credentials token.</summary>
    public HttpClient ServiceClient(params string[] scopes)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForService("inbox", scopes));
        return client;
    }

    public async Task<T> InDatabase<T>(Func<PermissionDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PermissionDbContext>());
    }
}
