using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace TeamPlatform.Testing;

/// <summary>
/// One TeamPlatform service hosted in process on the real PostgreSQL and RabbitMQ (a database and a
/// virtual host of its own), with a fake clock, test-signed tokens, every log line captured, and a
/// <see cref="TestBus"/> of the test's own on its virtual host.
/// </summary>
/// <typeparam name="TEntryPoint">Any type of the service's assembly.</typeparam>
public class ServiceHost<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    public const string InternalKey = "test-internal-key-0123456789abcdef0123456789abcdef";

    /// <summary>What a trusted proxy (the gateway, the console) presents, so that its forwarded headers are believed.</summary>
    public const string ProxyKey = "test-proxy-key-0123456789abcdef0123456789abcdef";

    /// <summary>Set to <c>identity</c> when the host must accept a real identity's tokens instead of <see cref="TestTokens"/>.</summary>
    public const string TokenKeysSetting = "Testing:TokenKeys";

    /// <summary>Set to <c>true</c> to capture what the host's OpenTelemetry exporters send in <see cref="Telemetry"/>.</summary>
    public const string ExportedTelemetrySetting = "Testing:ExportedTelemetry";

    private readonly Dictionary<string, string?> _settings;
    private TestBus? _bus;
    private bool _ownsBus;

    protected ServiceHost(Dictionary<string, string?> settings)
    {
        _settings = settings;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>The AMQP address of the host's virtual host.</summary>
    public string Broker => _settings["ConnectionStrings:rabbitmq"]!;

    /// <summary>Every line the service logged.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>What the host's exporters sent, when <see cref="ExportedTelemetrySetting"/> is on.</summary>
    public ExportedTelemetry Telemetry { get; } = new();

    /// <summary>The test's own bus on the host's virtual host: publishes what other services would, records what <see cref="Subscribe"/> names.</summary>
    public TestBus Bus => _bus ?? throw new InvalidOperationException("The host has not been started.");

    /// <summary>Another instance of the same deployment: the same settings, database and virtual host, its own queues; the same test bus.</summary>
    public async Task<ServiceHost<TEntryPoint>> StartAnotherInstanceAsync()
    {
        var instance = new ServiceHost<TEntryPoint>(new Dictionary<string, string?>(_settings));
        await instance.StartServiceAsync(sharedBus: Bus);
        return instance;
    }

    /// <summary>Starts <paramref name="service"/> with its own database (<c>{service}db</c>) and virtual host.</summary>
    public static async Task<ServiceHost<TEntryPoint>> StartAsync(string service, IDictionary<string, string?>? settings = null)
    {
        var host = new ServiceHost<TEntryPoint>(await SettingsAsync(service, settings));
        await host.StartServiceAsync();
        return host;
    }

    protected static async Task<Dictionary<string, string?>> SettingsAsync(string service, IDictionary<string, string?>? overrides)
    {
        var servers = await TestServers.Instance;
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{service}db"] = servers.NewDatabase(service),
            ["ConnectionStrings:rabbitmq"] = await servers.NewVirtualHostAsync(),
            ["InternalServices:Key"] = InternalKey,
            ["InternalServices:ServiceName"] = service,
            ["TrustedProxies:Key"] = ProxyKey,
            ["Authentication:Issuer"] = TestTokens.Issuer,
            ["Messaging:OutboxPollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// Starts the test bus, then the service (migrations run, the bus connects), and waits until the service's bus
    /// is healthy, its queues bound, so that nothing a test publishes is lost.
    /// </summary>
    /// <param name="sharedBus">
    /// The test bus of another host on the same virtual host (a replica): two test buses would share out the
    /// messages of their queues between them.
    /// </param>
    protected async Task StartServiceAsync(TestBus? sharedBus = null)
    {
        _ownsBus = sharedBus is null;
        _bus = sharedBus ?? await TestBus.StartAsync(Broker, Subscribe);
        try
        {
            StartServer();
            await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Names the messages the test bus records; none by default.</summary>
    protected virtual void Subscribe(TestBus.Subscriptions subscriptions)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            if (_settings.GetValueOrDefault(ExportedTelemetrySetting) == "true")
            {
                Telemetry.AddExporters(services);
            }

            if (_settings.GetValueOrDefault(TokenKeysSetting) == "identity")
            {
                return; // tokens come from a real identity service, checked with its keys
            }

            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = TestTokens.Issuer };
                configuration.SigningKeys.Add(TestTokens.SigningKey);
                jwt.Configuration = configuration;
                // AddJwtBearer's own post-configuration has already built a manager that would fetch identity's metadata.
                jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            });
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsBus && _bus is not null)
        {
            _ownsBus = false;
            await _bus.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A client that calls as a member of an organisation.</summary>
    public HttpClient ClientFor(Guid orgId, Guid memberId)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForMember(orgId, memberId));
        return client;
    }

    /// <summary>A client that calls the service's <c>/internal/…</c> API as another service.</summary>
    public HttpClient InternalClient(string callingService = "test")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Internal-Key", InternalKey);
        client.DefaultRequestHeaders.Add("X-Internal-Caller", callingService);
        return client;
    }
}
