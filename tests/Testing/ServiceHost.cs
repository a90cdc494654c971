using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace TeamPlatform.Testing;

/// <summary>
/// One TeamPlatform service hosted in process on the real PostgreSQL and RabbitMQ (a database and a
/// virtual host of its own), with a fake clock and test-signed tokens.
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

    private readonly Dictionary<string, string?> _settings;

    protected ServiceHost(Dictionary<string, string?> settings)
    {
        _settings = settings;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>Starts <paramref name="service"/> with its own database (<c>{service}db</c>) and virtual host.</summary>
    public static async Task<ServiceHost<TEntryPoint>> StartAsync(string service, IDictionary<string, string?>? settings = null)
    {
        var host = new ServiceHost<TEntryPoint>(await SettingsAsync(service, settings));
        _ = host.Server; // builds and starts the host: migrations run, the bus connects
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
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

    /// <summary>A client that calls as a member of an organisation.</summary>
    public HttpClient ClientFor(Guid orgId, Guid memberId)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForMember(orgId, memberId));
        return client;
    }

    /// <summary>A client that calls the service's <c>/internal/…</c> API as another service.</summary>
    public HttpClient InternalClient(string caller = "test")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Internal-Key", InternalKey);
        client.DefaultRequestHeaders.Add("X-Internal-Caller", caller);
        return client;
    }
}
