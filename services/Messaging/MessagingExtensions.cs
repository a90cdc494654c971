using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace TeamPlatform.Messaging;

public static class MessagingExtensions
{
    public const string BrokerConnectionName = "rabbitmq";

    /// <summary>
    /// Registers the service's DbContext on PostgreSQL (snake_case names, no automatic retries so that
    /// explicit transactions work) with the outbox commit signal, Aspire's health check and telemetry, and
    /// the migrations applied before the service starts. <paramref name="tuneConnection"/> adjusts one service's
    /// connection settings (identity prepares its statements).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlConnectionStringBuilder>? tuneConnection = null)
        where TDbContext : DbContext
    {
        var configured = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing (ConnectionStrings__{connectionName}).");
        var connection = new NpgsqlConnectionStringBuilder(configured);
        tuneConnection?.Invoke(connection);
        var connectionString = connection.ConnectionString;

        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxCommitInterceptor>();
        builder.Services.AddDbContextPool<TDbContext>((services, options) => options
            .UseNpgsql(connectionString, npgsql => npgsql.ConfigureDataSource(TraceOnlyWithinATrace))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(services.GetRequiredService<OutboxCommitInterceptor>()));
        builder.EnrichNpgsqlDbContext<TDbContext>(settings => settings.DisableRetry = true);
        builder.Services.AddHostedService<DatabaseMigration<TDbContext>>();
        return builder;
    }

    /// <summary>
    /// A command outside any trace is a background poll's (the outbox relay, sweeps, the delivery worker): once a
    /// second each, they would bury the operator's traces under root spans that say nothing. A poll that finds work
    /// shows in the traces it joins or starts (the relay's publish joins the request that wrote the row). Opening a
    /// physical connection is not traced at all: a poll that opens one would start a root span of its own (Npgsql
    /// offers no filter for it), and the time connections take to open is on Npgsql's
    /// <c>db.client.connections.create_time</c> meter.
    /// </summary>
    private static void TraceOnlyWithinATrace(NpgsqlDataSourceBuilder dataSource) =>
        dataSource.ConfigureTracing(tracing => tracing
            .EnablePhysicalOpenTracing(false)
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null));

    /// <summary>
    /// MassTransit on RabbitMQ with the transactional outbox relay for <typeparamref name="TDbContext"/>.
    /// Queues are named after the service (<c>permission-member-access-changed</c>), so two services may
    /// consume the same event each on its own queue.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging<TDbContext>(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
        where TDbContext : DbContext
    {
        builder.AddMessageBus(serviceName, configureConsumers);
        builder.Services.AddSingleton<MessagingMetrics>();
        builder.Services.AddSingleton(services => new OutboxTypes(services.GetServices<MovedMessageType>().Select(moved => moved.Type)));
        builder.Services.AddHostedService<OutboxRelay<TDbContext>>();
        return builder;
    }

    /// <summary>
    /// Message types that moved to another namespace or assembly keeping their urn (<c>[MessageUrn]</c>): outbox rows
    /// written before the move name the old type, and the relay still sends them (<see cref="OutboxTypes"/>).
    /// </summary>
    public static IHostApplicationBuilder AddMovedMessageTypes(this IHostApplicationBuilder builder, IEnumerable<Type> types)
    {
        foreach (var type in types)
        {
            builder.Services.AddSingleton(new MovedMessageType(type));
        }
        return builder;
    }

    /// <summary>
    /// MassTransit on RabbitMQ for a process that only consumes (the gateway). Durable shared endpoints are quorum
    /// queues named <c>…-quorum</c>, and the classic queues they replace are retired once the bus is up; per-instance
    /// endpoints (<see cref="AddPerInstanceConsumer{TConsumer}"/>) stay classic (decision 0018). Publisher confirms are
    /// on: the outbox relay deletes a row only once the broker confirmed its message.
    /// </summary>
    public static IHostApplicationBuilder AddMessageBus(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(BrokerConnectionName)
            ?? throw new InvalidOperationException($"Connection string '{BrokerConnectionName}' is missing (ConnectionStrings__{BrokerConnectionName}).");

        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var quorumEndpoints = new QuorumEndpoints();
        builder.Services.AddSingleton(quorumEndpoints);
        builder.Services.AddSingleton(new BrokerAddress(new Uri(connectionString)));
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new QuorumEndpointNameFormatter(serviceName));
            configureConsumers?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((queueName, endpoint) =>
            {
                if (QueueNames.IsQuorum(queueName) && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    ConfigureQuorumQueue(rabbit, queueName);
                    quorumEndpoints.Add(queueName);
                }
            });
            // Without the broker a service still answers what its database can (docs/operations.md#health): degraded, not unready.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = BrokerConnectionName;
                health.MinimalFailureStatus = HealthStatus.Degraded;
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(connectionString), host =>
                {
                    // MassTransit's default, pinned: a publish completes only once the broker has taken the message,
                    // and the outbox relay deletes a row only then (docs/decisions/0018-quorum-queues.md).
                    host.PublisherConfirmation = true;
                });
                // The error and skipped queues copy the endpoint's queue arguments: quorum like it, without its
                // delivery limit and dead-letter exchange (which would point an error queue at itself).
                rabbit.SendTopology.ConfigureErrorSettings = WithoutDeadLettering;
                rabbit.SendTopology.ConfigureDeadLetterSettings = WithoutDeadLettering;
                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddHostedService<ClassicQueueRetirement>();
        builder.Services.TryAddTimeProvider();
        return builder;
    }

    /// <summary>
    /// A consumer every instance of the process hears on a classic queue of its own (named after the consumer and
    /// <paramref name="instanceId"/>), which the broker deletes once the instance is gone.
    /// </summary>
    public static void AddPerInstanceConsumer<TConsumer>(this IBusRegistrationConfigurator bus, string serviceName, string instanceId)
        where TConsumer : class, IConsumer =>
        bus.AddConsumer<TConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false).Consumer<TConsumer>();
            endpoint.InstanceId = instanceId;
            endpoint.Temporary = true;
        });

    /// <summary>The quorum queue settings of every durable shared endpoint (decision 0018).</summary>
    public static void ConfigureQuorumQueue(this IRabbitMqReceiveEndpointConfigurator endpoint, string queueName)
    {
        endpoint.SetQuorumQueue();
        // A message that keeps taking its consumer down (the process dies before settling it) goes to the error queue
        // after this many deliveries instead of circling forever.
        endpoint.SetQueueArgument("x-delivery-limit", QueueNames.DeliveryLimit);
        endpoint.SetQueueArgument("x-dead-letter-exchange", queueName + "_error");
    }

    private static void WithoutDeadLettering(IRabbitMqQueueBindingConfigurator queue)
    {
        queue.SetQueueArgument("x-delivery-limit", null);
        queue.SetQueueArgument("x-dead-letter-exchange", null);
    }

    /// <summary>Kebab-case consumer names after the service, with the quorum suffix (decision 0018).</summary>
    private sealed class QuorumEndpointNameFormatter(string serviceName)
        : KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false)
    {
        public override string Consumer<T>() => QueueNames.Quorum(base.Consumer<T>());
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
