using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>
/// Identity in process, with permission and invitation stood in by <see cref="FakeTeam"/>. Its test bus takes
/// the notification service's place (it receives the codes identity sends) and hears identity's events.
/// </summary>
public sealed class IdentityHost : DatabaseServiceHost<IdentityDbContext>
{
    private IdentityHost(Dictionary<string, string?> settings, FakeTeam team)
        : base(settings)
    {
        Team = team;
    }

    public FakeTeam Team { get; }

    /// <summary>Every <see cref="SendOtp"/> the notification service would have received, oldest first.</summary>
    public IReadOnlyList<SendOtp> Codes => Bus.Received<SendOtp>();

    /// <param name="kestrel">Serve on a real socket (Kestrel's limits and addresses) instead of the in-memory test server.</param>
    /// <param name="team">The permission and invitation services, when a replica must see the same ones as another host.</param>
    public static async Task<IdentityHost> StartAsync(IDictionary<string, string?>? settings = null, bool kestrel = false, FakeTeam? team = null)
    {
        var host = new IdentityHost(await SettingsAsync("identity", settings), team ?? new FakeTeam());
        if (kestrel)
        {
            host.UseKestrel(0);
        }

        await host.StartServiceAsync();
        return host;
    }

    /// <summary>The <paramref name="nth"/> code sent to <paramref name="phone"/> (waits for it to come through RabbitMQ).</summary>
    public async Task<SendOtp> CodeFor(string phone, int nth = 1) =>
        (await Bus.WaitFor<SendOtp>(code => code.Phone == phone, nth))[nth - 1];

    protected override void Subscribe(TestBus.Subscriptions subscriptions) => subscriptions
        .Command<SendOtp>(CommandQueues.Notification)
        .Event<OrganisationCreated>()
        .Event<OrganisationSettingsChanged>()
        .Event<MemberProfileChanged>()
        .Event<MemberSessionsRevoked>()
        .Event<MemberSignedIn>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddHttpClient<PermissionClient>().ConfigurePrimaryHttpMessageHandler(() => Team);
            services.AddHttpClient<InvitationClient>().ConfigurePrimaryHttpMessageHandler(() => Team);
        });
    }
}

/// <summary>One identity host shared by the tests of a collection; each test uses its own organisation and phones.</summary>
public class IdentityFixture : IAsyncLifetime
{
    public const string ClientId = "inbox";
    public const string ClientSecret = "inbox-secret-0123456789abcdef0123456789";

    public IdentityHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await IdentityHost.StartAsync(Settings(), Kestrel);

    protected virtual bool Kestrel => false;

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    protected virtual Dictionary<string, string?> Settings() => new()
    {
        ["Identity:Clients:0:ClientId"] = ClientId,
        ["Identity:Clients:0:ClientSecret"] = ClientSecret,
        ["Identity:Clients:0:Scopes:0"] = "permissions.check",
    };
}

/// <summary>The identity tests that need nothing but their own organisations and phones: one host for all of them.</summary>
[CollectionDefinition(nameof(IdentityCollection))]
public sealed class IdentityCollection : ICollectionFixture<IdentityFixture>;

internal static class DbExtensions
{
    public static Task<int> CountAsync<T>(this IdentityHost host) where T : class => host.InDatabase(db => db.Set<T>().CountAsync());
}
