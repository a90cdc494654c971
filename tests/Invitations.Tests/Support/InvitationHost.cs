using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests.Support;

/// <summary>
/// The invitation service in process, with the permission service stood in for by <see cref="FakePermission"/>.
/// Its test bus publishes what identity and permission would, takes the notification service's place, and
/// hears every invitation event.
/// </summary>
public sealed class InvitationHost : DatabaseServiceHost<InvitationDbContext>
{
    public const string PublicBaseUrl = "http://gateway.test";

    private InvitationHost(Dictionary<string, string?> settings, FakePermission? permission = null)
        : base(settings)
    {
        Permission = permission ?? new FakePermission();
    }

    /// <summary>The permission service as this host sees it; a restarted host sees the same one.</summary>
    public FakePermission Permission { get; }

    /// <summary>Starts the service. With <paramref name="restartOf"/>, on that (stopped) host's database and virtual host.</summary>
    /// <param name="settings">Settings beside the defaults of a test host (ignored on a restart, which keeps the first host's).</param>
    public static async Task<InvitationHost> StartAsync(InvitationHost? restartOf = null, IDictionary<string, string?>? settings = null)
    {
        var hostSettings = restartOf is null
            ? await SettingsAsync("invitation", new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["TeamPlatform:PublicBaseUrl"] = PublicBaseUrl,
            })
            : new Dictionary<string, string?>(restartOf.Settings);
        var host = new InvitationHost(hostSettings, restartOf?.Permission);
        await host.StartServiceAsync();
        return host;
    }

    /// <summary>Another replica: same database and virtual host, the same test bus.</summary>
    public async Task<InvitationHost> StartReplicaAsync()
    {
        var replica = new InvitationHost(new Dictionary<string, string?>(Settings));
        await replica.StartServiceAsync(sharedBus: Bus);
        return replica;
    }

    /// <summary>An organisation identity has announced, with an admin holding a token for it.</summary>
    public async Task<TestOrg> NewOrganisationAsync(int inviteTtlDays = 30, string name = "Hope Church", string language = "en", string? chatbotPhone = null)
    {
        var orgId = Guid.NewGuid();
        var slug = $"org-{orgId:N}"[..20];
        await Bus.Publish(new OrganisationCreated(
            orgId, slug, name, new OrganisationSettings(2, inviteTtlDays, "approval", chatbotPhone, language, true), Time.GetUtcNow()));
        await Eventually.Until(() => InDatabase(db => db.Organisations.AnyAsync(o => o.Id == orgId)), known => known, what: "the organisation to arrive");
        return ForOrganisation(orgId, slug, name);
    }

    /// <summary>The organisation as a client sees it, with a fresh admin (after a restart, for instance).</summary>
    public TestOrg ForOrganisation(Guid orgId, string slug, string name)
    {
        var admin = Permission.Admin(orgId);
        return new TestOrg(this, orgId, slug, name, admin, ClientFor(orgId, admin.Id));
    }

    /// <summary>
    /// Moves the clock on a second at a time until the bulk sender has done more rows than before (its next round
    /// may have begun its wait just after a move, and then needs the next one).
    /// </summary>
    public async Task NextBulkRoundAsync(Guid bulkInvitationId)
    {
        Task<int> Done() => InDatabase(db => db.BulkInvitationRows.CountAsync(r => r.BulkInvitationId == bulkInvitationId && r.ProcessedAt != null));
        var before = await Done();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await AdvanceAsync(TimeSpan.FromSeconds(1));
            try
            {
                await Eventually.Until(Done, done => done > before, TimeSpan.FromSeconds(3), "a round of the bulk sender");
                return;
            }
            catch (TimeoutException)
            {
                // The round ran before its wait began: the next second wakes it.
            }
        }

        throw new TimeoutException("The bulk sender did no round in five seconds of the fake clock.");
    }

    public async Task<HttpResponseMessage> ValidateAsync(Guid orgId, string token, string phone)
    {
        using var client = InternalClient("identity");
        return await client.PostAsJsonAsync("/internal/invitations/validate", new { orgId, token, phone });
    }

    public async Task<HttpResponseMessage> AcceptAsync(Guid orgId, string token, string phone, Guid? registrationId = null)
    {
        using var client = InternalClient("identity");
        return await client.PostAsJsonAsync("/internal/invitations/accept", new { orgId, token, phone, registrationId = registrationId ?? Guid.NewGuid() });
    }

    public async Task<HttpResponseMessage> PreviewAsync(string token)
    {
        using var client = CreateClient();
        return await client.GetAsync($"/api/invitations/preview/{token}");
    }

    protected override void Subscribe(TestBus.Subscriptions subscriptions) => subscriptions
        .Event<InvitationCreated>()
        .Event<InvitationRenewed>()
        .Event<InvitationRevoked>()
        .Event<InvitationAccepted>()
        .Event<InvitationExpired>()
        .Command<SendInvitation>(CommandQueues.Notification);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddHttpClient<PermissionClient>().ConfigurePrimaryHttpMessageHandler(Permission.Handler));
    }
}

/// <summary>One service host shared by the tests of a collection (they run one after another; each uses its own organisations).</summary>
public sealed class InvitationFixture : IAsyncLifetime
{
    public InvitationHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await InvitationHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(nameof(InvitationCollection))]
public sealed class InvitationCollection : ICollectionFixture<InvitationFixture>;

/// <summary>An organisation under test: its admin's client and shortcuts for what admins do.</summary>
public sealed record TestOrg(InvitationHost Host, Guid OrgId, string Slug, string Name, FakeMember Admin, HttpClient Client)
{
    public static readonly object Staff = new { role = "staff" };

    public async Task<JsonElement> InviteAsync(string phone, object? access = null, string? email = null)
    {
        var response = await Client.PostAsJsonAsync("/api/invitations", new { phone, email, access = access ?? Staff });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A member of this organisation (no admin toggle) holding admin_settings and able to grant <paramref name="grantable"/>.</summary>
    public (FakeMember Member, HttpClient Client) TeamManager(params string[] grantable)
    {
        var member = Host.Permission.Add(new FakeMember
        {
            Id = Guid.NewGuid(), OrgId = OrgId, Username = "kofi", Phone = TestPhones.New(), AdminSettings = true, Grantable = grantable.ToHashSet(),
        });
        return (member, Host.ClientFor(OrgId, member.Id));
    }
}

public static class Json
{
    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    /// <summary>The token is the link's last path segment.</summary>
    public static string Token(this JsonElement invitation) => TokenOf(invitation.Str("link"));

    public static string TokenOf(string link) => link[(link.LastIndexOf('/') + 1)..];

    public static async Task<string> Code(this HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.Str("code");
    }
}
