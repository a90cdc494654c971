using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Messaging;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>
/// Identity in process on the real PostgreSQL and RabbitMQ, with permission and invitation stood in by
/// <see cref="FakeTeam"/>, and a bus of the test's own on the same virtual host that hears what identity
/// sends (codes for the notification service, events) and publishes what other services would.
/// </summary>
public sealed class IdentityHost : ServiceHost<IdentityDbContext>
{
    private IBusControl? _bus;

    private IdentityHost(Dictionary<string, string?> settings, FakeTeam team)
        : base(settings)
    {
        Team = team;
    }

    public FakeTeam Team { get; }

    /// <summary>Every <see cref="SendOtp"/> the notification service would have received, newest last.</summary>
    public ConcurrentQueue<SendOtp> Codes { get; } = new();

    public ConcurrentQueue<object> Events { get; } = new();

    /// <summary>Every log line the service wrote, formatted, with its exception.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public IBus Bus => _bus!;

    /// <param name="kestrel">Serve on a real socket (Kestrel's limits and addresses) instead of the in-memory test server.</param>
    /// <param name="team">The permission and invitation services, when a replica must see the same ones as another host.</param>
    public static async Task<IdentityHost> StartAsync(IDictionary<string, string?>? settings = null, bool kestrel = false, FakeTeam? team = null)
    {
        var host = new IdentityHost(await SettingsAsync("identity", settings), team ?? new FakeTeam());
        await host.StartBusAsync();
        if (kestrel)
        {
            host.UseKestrel(0);
            host.StartServer();
        }
        else
        {
            _ = host.Server;
        }

        // The outbox relay backs off on the service's clock, which is fake here: let it find the broker connected.
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }

    public async Task<T> InDatabase<T>(Func<IdentityDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<IdentityDbContext>());
    }

    /// <summary>The code sent to <paramref name="phone"/> most recently (waits for it to come through RabbitMQ).</summary>
    public async Task<SendOtp> CodeFor(string phone, int nth = 1) =>
        (await Eventually.Until(
            () => Task.FromResult(Codes.Where(c => c.Phone == phone).ToList()),
            codes => codes.Count >= nth,
            what: $"code #{nth} to {phone}"))[nth - 1];

    public async Task<T> EventWhere<T>(Func<T, bool> match) where T : class =>
        (await Eventually.Until(
            () => Task.FromResult(Events.OfType<T>().FirstOrDefault(match)),
            found => found is not null,
            what: $"a {typeof(T).Name}"))!;

    /// <summary>
    /// Moves the fake clock on once the outbox is empty. The relay's publish timeout and back-off run on the
    /// service's clock: a jump while a publish is in flight would cancel it and park the relay until the next jump.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await OutboxDrainedAsync();
        Time.Advance(by);
    }

    private Task<int> OutboxDrainedAsync() =>
        Eventually.Until(() => InDatabase(db => db.Set<OutboxMessage>().CountAsync()), count => count == 0, what: "the outbox to be relayed");

    /// <summary>
    /// Waits for the request <paramref name="send"/> makes while moving the fake clock on, for calls whose retries back off on
    /// the service's clock (the HTTP resilience handler takes the host's TimeProvider).
    /// </summary>
    public async Task<T> AdvancingClockUntil<T>(Func<Task<T>> send)
    {
        await OutboxDrainedAsync();
        var request = send();
        while (!request.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(2));
            await Task.WhenAny(request, Task.Delay(20));
        }

        return await request;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        builder.ConfigureServices(services =>
        {
            services.AddHttpClient<PermissionClient>().ConfigurePrimaryHttpMessageHandler(() => Team);
            services.AddHttpClient<InvitationClient>().ConfigurePrimaryHttpMessageHandler(() => Team);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        await base.DisposeAsync();
    }

    private async Task StartBusAsync()
    {
        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(Settings["ConnectionStrings:rabbitmq"]!));
            rabbit.ReceiveEndpoint(CommandQueues.Notification, endpoint => endpoint.Handler<SendOtp>(context =>
            {
                Codes.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
            rabbit.ReceiveEndpoint("identity-tests-events", endpoint =>
            {
                Capture<OrganisationCreated>(endpoint);
                Capture<OrganisationSettingsChanged>(endpoint);
                Capture<MemberProfileChanged>(endpoint);
                Capture<MemberSessionsRevoked>(endpoint);
            });
        });
        await _bus.StartAsync();
    }

    private void Capture<T>(IReceiveEndpointConfigurator endpoint) where T : class =>
        endpoint.Handler<T>(context =>
        {
            Events.Enqueue(context.Message);
            return Task.CompletedTask;
        });
}

internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>One identity host shared by the tests of a class; each test uses its own organisation and phones.</summary>
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

internal static class DbExtensions
{
    public static Task<int> CountAsync<T>(this IdentityHost host) where T : class => host.InDatabase(db => db.Set<T>().CountAsync());
}
