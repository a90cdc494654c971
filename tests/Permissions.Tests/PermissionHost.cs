using System.Net.Http.Headers;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Testing;

namespace TeamPlatform.Permissions.Tests;

/// <summary>The permission service in process; its test bus hears every event the service publishes.</summary>
public sealed class PermissionHost : DatabaseServiceHost<PermissionDbContext>
{
    private PermissionHost(Dictionary<string, string?> settings)
        : base(settings)
    {
    }

    public static async Task<PermissionHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var host = new PermissionHost(await SettingsAsync(PermissionService.Name, settings));
        await host.StartServiceAsync();
        return host;
    }

    /// <summary>Another replica of the same deployment: same database, same virtual host, its own queue; the same test bus.</summary>
    public async Task<PermissionHost> StartReplicaAsync()
    {
        var replica = new PermissionHost(new Dictionary<string, string?>(Settings));
        await replica.StartServiceAsync(sharedBus: Bus);
        return replica;
    }

    /// <summary>A client calling with a service's client-credentials token.</summary>
    public HttpClient ServiceClient(params string[] scopes)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForService("inbox", scopes));
        return client;
    }

    protected override void Subscribe(TestBus.Subscriptions subscriptions) => subscriptions
        .Event<MemberRegistered>()
        .Event<MemberApprovalRequested>()
        .Event<MemberAccessChanged>()
        .Event<MemberRemoved>()
        .Event<GroupDeleted>()
        .Event<ConversationVisibilityChanged>();
}
