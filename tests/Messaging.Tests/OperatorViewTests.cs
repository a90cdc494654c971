using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Messaging.Tests;

/// <summary>What an operator sees of the outbox and the inbox: meters, health, and traces only where there was work.</summary>
[Collection(nameof(OutboxCollection))]
public sealed class OperatorViewTests(OutboxPair pair)
{
    [Fact]
    public async Task Without_a_broker_the_service_stays_ready_and_the_outbox_lag_and_backlog_grow()
    {
        var servers = await TestServers.Instance;
        // Nothing listens on port 1: the broker is unreachable from the start, and the shared broker is left alone.
        var unreachable = new UriBuilder(servers.RabbitMq) { Port = 1 }.Uri.ToString();
        await using var host = await MessagingHost.StartAsync("stranded", servers.NewDatabase("stranded"), unreachable);
        var meters = host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var lag = new MetricCollector<double>(meters, MessagingMetrics.MeterName, "teamplatform.messaging.outbox.lag");
        using var backlog = new MetricCollector<long>(meters, MessagingMetrics.MeterName, "teamplatform.messaging.outbox.backlog");

        var noteId = Guid.NewGuid();
        await host.InDatabase(db =>
        {
            db.Notes.Add(new Note { Id = noteId, Text = "while there is no broker" });
            db.AddOutboxEvent(new NoteWritten(noteId, "while there is no broker", DateTimeOffset.UtcNow));
            return db.SaveChangesAsync();
        });

        await Eventually.Until(
            () =>
            {
                backlog.RecordObservableInstruments();
                return Task.FromResult(backlog.LastMeasurement?.Value);
            },
            waiting => waiting == 1,
            TimeSpan.FromSeconds(30),
            "the relay to report the waiting row");
        lag.RecordObservableInstruments();
        var first = lag.LastMeasurement!.Value;
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        lag.RecordObservableInstruments();
        Assert.True(lag.LastMeasurement!.Value >= first + 1, $"The lag went from {first} s to {lag.LastMeasurement.Value} s in over a second.");

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Entries[MessagingExtensions.BrokerConnectionName].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[nameof(NotesDbContext)].Status);
        Assert.True(HealthReportWriter.IsReady(report));
    }

    [Fact]
    public async Task Once_the_outbox_is_relayed_its_lag_and_backlog_are_zero()
    {
        var meters = pair.Sender.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var lag = new MetricCollector<double>(meters, MessagingMetrics.MeterName, "teamplatform.messaging.outbox.lag");
        using var backlog = new MetricCollector<long>(meters, MessagingMetrics.MeterName, "teamplatform.messaging.outbox.backlog");
        var noteId = Guid.NewGuid();
        await pair.Sender.InDatabase(db =>
        {
            db.AddOutboxEvent(new NoteWritten(noteId, "relayed at once", DateTimeOffset.UtcNow));
            return db.SaveChangesAsync();
        });

        await Eventually.Until(() => pair.Receiver.ReceivedCount(noteId), count => count == 1, what: "the note");
        lag.RecordObservableInstruments();
        backlog.RecordObservableInstruments();

        Assert.Equal(0, lag.LastMeasurement!.Value);
        Assert.Equal(0, backlog.LastMeasurement!.Value);
    }

    [Fact]
    public async Task A_redelivered_message_counts_one_inbox_duplicate()
    {
        var meters = pair.Receiver.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var duplicates = new MetricCollector<long>(meters, MessagingMetrics.MeterName, "teamplatform.messaging.inbox.duplicates");
        var messageId = Guid.NewGuid();
        var message = new NoteWritten(Guid.NewGuid(), "twice", DateTimeOffset.UtcNow);

        await pair.Sender.Bus.Publish(message, context => context.MessageId = messageId);
        await Eventually.Until(() => Task.FromResult(pair.Receiver.Handled(messageId)), handled => handled == 1, what: "the first delivery");
        Assert.Empty(duplicates.GetMeasurementSnapshot());
        await pair.Sender.Bus.Publish(message, context => context.MessageId = messageId);
        await Eventually.Until(() => Task.FromResult(pair.Receiver.Handled(messageId)), handled => handled == 2, what: "the redelivery");

        var dropped = Assert.Single(duplicates.GetMeasurementSnapshot());
        Assert.Equal(1, dropped.Value);
        Assert.Equal(nameof(NoteWrittenConsumer), dropped.Tags["messaging.consumer"]);
    }

    [Fact]
    public async Task An_idle_relay_poll_records_no_database_spans_but_a_command_within_a_trace_does()
    {
        var servers = await TestServers.Instance;
        var database = servers.NewDatabase("quiet");
        // Tests running beside this one trace their own work: only this host's database is looked at.
        var ours = new Npgsql.NpgsqlConnectionStringBuilder(database).Database;
        using var source = new ActivitySource("TeamPlatform.Messaging.Tests");
        var outboxSpans = new List<Activity>();
        var rootSpans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" || s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name != "Npgsql" || (activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name")) as string != ours)
                {
                    return;
                }

                // The start opens the relay's first connections, outside any trace: not even those start a trace. (Creating
                // the database, on the maintenance database, may.)
                if (activity.Parent is null)
                {
                    lock (rootSpans)
                    {
                        rootSpans.Add(activity);
                    }
                }

                // This host's relay polls outbox_messages: none of those idle polls may be recorded.
                if (activity.GetTagItem("db.query.text") is string sql && sql.Contains("outbox_messages", StringComparison.Ordinal))
                {
                    lock (outboxSpans)
                    {
                        outboxSpans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await MessagingHost.StartAsync("quiet", database, await servers.NewVirtualHostAsync());

        await Task.Delay(TimeSpan.FromSeconds(2)); // four polls of this relay, every one finding nothing
        lock (outboxSpans)
        {
            Assert.Empty(outboxSpans);
        }

        lock (rootSpans)
        {
            Assert.Empty(rootSpans.Select(span => span.DisplayName));
        }

        string requestId;
        using (var request = source.StartActivity("a request"))
        {
            requestId = request!.Id!;
            await host.OutboxCount();
        }

        lock (outboxSpans)
        {
            var traced = Assert.Single(outboxSpans);
            Assert.Equal(requestId, traced.ParentId);
        }
    }
}
