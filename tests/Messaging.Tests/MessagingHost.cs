using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeamPlatform.Testing;

namespace TeamPlatform.Messaging.Tests;

/// <summary>A process of a service that uses the building block exactly as the real services do.</summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MessagingHost(IHost host) => _host = host;

    public static async Task<MessagingHost> StartAsync(
        string serviceName,
        string database,
        string broker,
        Action<IBusRegistrationConfigurator>? consumers = null,
        TimeSpan? publishTimeout = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{NotesDbContext.ConnectionName}"] = database,
            ["ConnectionStrings:rabbitmq"] = broker,
            ["Messaging:OutboxPollInterval"] = "00:00:00.500",
            ["Messaging:PublishTimeout"] = (publishTimeout ?? TimeSpan.FromSeconds(2)).ToString("c"),
            ["Messaging:MaxRetryDelay"] = "00:00:00.500",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase<NotesDbContext>(NotesDbContext.ConnectionName);
        builder.AddMessaging<NotesDbContext>(serviceName, consumers);
        var host = builder.Build();
        await host.StartAsync();
        return new MessagingHost(host);
    }

    public async Task<T> InDatabase<T>(Func<NotesDbContext, Task<T>> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotesDbContext>());
    }

    public Task<int> OutboxCount() => InDatabase(db => db.Set<OutboxMessage>().CountAsync());

    public Task<int> ReceivedCount(Guid noteId) => InDatabase(db => db.ReceivedNotes.CountAsync(n => n.NoteId == noteId));

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    /// <summary>A publisher and a consumer, each with its own database, on one fresh virtual host.</summary>
    public static async Task<(MessagingHost Publisher, MessagingHost Consumer)> PairAsync()
    {
        var servers = await TestServers.Instance;
        var broker = await servers.NewVirtualHostAsync();
        // The consumer starts first so that its queue is bound before anything is published.
        var consumer = await StartAsync("receiver", servers.NewDatabase("receiver"), broker, bus =>
        {
            bus.AddConsumer<NoteWrittenConsumer>();
            bus.AddConsumer<ArchiveNoteConsumer>().Endpoint(e => e.Name = "receiver-commands");
        });
        var publisher = await StartAsync("sender", servers.NewDatabase("sender"), broker);
        return (publisher, consumer);
    }
}
