using MassTransit;
using MembershipSubscriber;
using Microsoft.Extensions.Options;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(
    builder.Configuration.GetConnectionString("Members")
    ?? throw new InvalidOperationException("ConnectionStrings:Members is not set.")));
builder.Services.AddSingleton<MemberTable>();

builder.Services.AddMassTransit(bus =>
{
    bus.AddConsumer<MemberRegisteredConsumer>();
    bus.AddConsumer<MemberAccessChangedConsumer>();
    bus.AddConsumer<MemberRemovedConsumer>();
    bus.UsingRabbitMq((context, rabbit) =>
    {
        var broker = context.GetRequiredService<IOptions<BrokerOptions>>().Value;
        rabbit.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
        {
            host.Username(broker.Username);
            host.Password(broker.Password);
        });

        // One durable queue of our own, which MassTransit binds to the events' fanout exchanges
        // (TeamPlatform.Contracts.V1:MemberRegistered and the others): it keeps what is published while we are down.
        rabbit.ReceiveEndpoint(broker.Queue, endpoint =>
        {
            // A lost connection or a deadlock is worth another try; what still fails lands in the queue's _error twin.
            endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 2_000));
            endpoint.ConfigureConsumer<MemberRegisteredConsumer>(context);
            endpoint.ConfigureConsumer<MemberAccessChangedConsumer>(context);
            endpoint.ConfigureConsumer<MemberRemovedConsumer>(context);
        });
    });
});

var app = builder.Build();

// The tables exist before the bus starts consuming (app.Run starts it).
await app.Services.GetRequiredService<MemberTable>().CreateAsync(CancellationToken.None);

app.MapGet("/members", async (Guid orgId, MemberTable table, CancellationToken cancellationToken) =>
    TypedResults.Ok(await table.ListAsync(orgId, cancellationToken)));

app.Run();
