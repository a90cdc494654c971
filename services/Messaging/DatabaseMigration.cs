using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TeamPlatform.Messaging;

/// <summary>
/// Applies pending migrations (creating the database when missing) in <see cref="StartingAsync"/>, which runs
/// before any hosted service starts, Kestrel and the bus included: the service never answers, nor consumes,
/// on an old schema. Replicas starting together serialise on EF Core's migration lock.
/// </summary>
internal sealed class DatabaseMigration<TDbContext>(IServiceScopeFactory scopeFactory, ILogger<DatabaseMigration<TDbContext>> logger)
    : IHostedLifecycleService
    where TDbContext : DbContext
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        logger.LogInformation("Applying migrations of {DbContext}", typeof(TDbContext).Name);
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // A replica starting at the same moment created the database first (EF Core's migration lock
            // covers the migrations, not the creation); the database is there now.
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
