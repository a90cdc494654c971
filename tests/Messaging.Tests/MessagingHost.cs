using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TeamPlatform.Testing;

namespace TeamPlatform.Messaging.Tests;

/// <summary>A process of a service that uses the building block exactly as the real services do.</summary>
public sealed partial class MessagingHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ConcurrentDictionary<Guid, int> _handled;

    private MessagingHost(IHost host, LogCapture logs, ConcurrentDictionary<Guid, int> handled)
    {
        _host = host;
        Logs = logs;
        _handled = handled;
    }

    /// <summary>Every line the process logged.</summary>
    public LogCapture Logs { get; }

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    public IServiceProvider Services => _host.Services;

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
        var logs = new LogCapture();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase<NotesDbContext>(NotesDbContext.ConnectionName);
        builder.AddMovedMessageTypes([typeof(ArchiveNote)]);
        builder.AddMessaging<NotesDbContext>(serviceName, consumers);
        var host = builder.Build();
        var handled = new ConcurrentDictionary<Guid, int>();
        host.Services.GetRequiredService<IBus>().ConnectConsumeObserver(new HandledCounter(handled));
        await host.StartAsync();
        return new MessagingHost(host, logs, handled);
    }

    public Task<T> InDatabase<T>(Func<NotesDbContext, Task<T>> work) => _host.Services.InDatabase(work);

    public Task<int> OutboxCount() => _host.Services.OutboxCountAsync<NotesDbContext>();

    /// <summary>Whether the outbox still holds the event of note <paramref name="noteId"/>.</summary>
    public Task<bool> OutboxHolds(Guid noteId) => InDatabase(db => db.Database
        .SqlQuery<bool>($"SELECT EXISTS (SELECT 1 FROM outbox_messages WHERE body->>'noteId' = {noteId.ToString()}) AS \"Value\"")
        .SingleAsync());

    public Task<int> ReceivedCount(Guid noteId) => InDatabase(db => db.ReceivedNotes.CountAsync(n => n.NoteId == noteId));

    /// <summary>How many deliveries of the message <paramref name="messageId"/> a consumer of this process has finished with.</summary>
    public int Handled(Guid messageId) => _handled.GetValueOrDefault(messageId);

    /// <summary>The most relay attempts in a row the outbox relay has logged as failed (0 before any).</summary>
    public int RelayFailuresInARow() => Logs.Lines
        .Select(line => RelayFailed().Match(line))
        .Where(match => match.Success)
        .Select(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
        .DefaultIfEmpty(0)
        .Max();

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
            bus.AddConsumer<ArchiveNoteConsumer>().Endpoint(e => e.Name = QueueNames.Quorum("receiver-commands"));
        });
        var publisher = await StartAsync("sender", servers.NewDatabase("sender"), broker);
        return (publisher, consumer);
    }

    [GeneratedRegex(@"Outbox relay failed \((\d+) in a row\)")]
    private static partial Regex RelayFailed();

    private sealed class HandledCounter(ConcurrentDictionary<Guid, int> handled) : IConsumeObserver
    {
        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            handled.AddOrUpdate(context.MessageId ?? Guid.Empty, 1, (_, count) => count + 1);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
