using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Messaging;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests.Support;

/// <summary>
/// The invitation service in process on the real PostgreSQL and RabbitMQ, with the permission service stood in
/// for by <see cref="FakePermission"/> and an outside subscriber (<see cref="BusObserver"/>) on its virtual host.
/// </summary>
public sealed class InvitationHost : ServiceHost<InvitationDbContext>
{
    public const string PublicBaseUrl = "http://gateway.test";

    private InvitationHost(Dictionary<string, string?> settings, BusObserver bus)
        : base(settings)
    {
        Bus = bus;
    }

    public FakePermission Permission { get; } = new();

    /// <summary>Every log message the service wrote, formatted, with its structured values.</summary>
    public LogCapture Logs { get; } = new();

    public BusObserver Bus { get; }

    /// <summary>
    /// Starts the service. With <paramref name="sameAs"/>, on that host's database and virtual host: a replica,
    /// or the same service after a restart.
    /// </summary>
    public static async Task<InvitationHost> StartAsync(InvitationHost? sameAs = null)
    {
        var settings = sameAs is null
            ? await SettingsAsync("invitation", new Dictionary<string, string?> { ["TeamPlatform:PublicBaseUrl"] = PublicBaseUrl })
            : new Dictionary<string, string?>(sameAs.Settings);
        // The subscriber binds its queues before the service can publish anything.
        var host = new InvitationHost(settings, sameAs?.Bus ?? await BusObserver.StartAsync(settings["ConnectionStrings:rabbitmq"]!));
        _ = host.Server;
        return host;
    }

    /// <summary>An organisation identity has announced, with an admin holding a token for it.</summary>
    public async Task<TestOrg> NewOrganisationAsync(int inviteTtlDays = 30, string name = "Hope Church", string language = "en")
    {
        var orgId = Guid.NewGuid();
        var slug = $"org-{orgId:N}"[..20];
        await Bus.PublishAsync(new OrganisationCreated(
            orgId, slug, name, new OrganisationSettings(2, inviteTtlDays, "approval", null, language, true), Time.GetUtcNow()));
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
    /// Moves the service's clock on once the outbox is empty: the relay's publish timeout runs on this clock, so
    /// moving it while a publish is in flight would cancel that publish.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await Eventually.Until(() => InDatabase(db => db.Set<OutboxMessage>().CountAsync()), rows => rows == 0, what: "the outbox to drain");
        Time.Advance(by);
    }

    /// <summary>
    /// Waits for <paramref name="request"/> while moving the clock on: the HTTP resilience handler backs off on the
    /// service's clock.
    /// </summary>
    public async Task<T> AdvancingClockUntil<T>(Task<T> request)
    {
        while (!request.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(request, Task.Delay(20));
        }

        return await request;
    }

    public async Task<T> InDatabase<T>(Func<InvitationDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<InvitationDbContext>());
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddHttpClient<PermissionClient>().ConfigurePrimaryHttpMessageHandler(Permission.Handler);
            services.AddSingleton<ILoggerProvider>(Logs);
            // Consumers' queues are bound before the host counts as started, so nothing a test publishes is lost.
            services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        });
    }
}

/// <summary>An organisation under test: its admin's client and shortcuts for what admins do.</summary>
/// <summary>One service host shared by the tests of a class (they run one after another; each uses its own organisations).</summary>
public sealed class InvitationFixture : IAsyncLifetime
{
    public InvitationHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await InvitationHost.StartAsync();

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Host.Bus.DisposeAsync();
    }
}

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
