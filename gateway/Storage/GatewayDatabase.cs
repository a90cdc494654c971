using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TeamPlatform.Gateway.Edge;

namespace TeamPlatform.Gateway.Storage;

internal static class GatewayDatabase
{
    public const string HealthCheckName = GatewayDbContext.ConnectionName;

    /// <summary>
    /// The gateway's database (<c>ConnectionStrings:gatewaydb</c>): the rate limit counts. Unlike a service's database it
    /// is not needed to answer: it is reported as degraded, never unready, and a gateway that cannot reach it at start
    /// starts anyway and migrates once it can (docs/decisions/0016-shared-rate-limit.md).
    /// </summary>
    public static IHostApplicationBuilder AddGatewayDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(GatewayDbContext.ConnectionName)
            ?? throw new InvalidOperationException(
                $"Connection string '{GatewayDbContext.ConnectionName}' is missing (ConnectionStrings__{GatewayDbContext.ConnectionName}).");

        builder.Services.AddSingleton(_ => RateLimitStore.Create(connectionString));
        builder.Services.AddDbContext<GatewayDbContext>(options => options
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            // The migration says itself, as a warning, when the database cannot be reached (the gateway runs on without
            // it); EF Core's own error for the same connection, or for the database not made yet, would say it louder.
            .ConfigureWarnings(warnings => warnings.Log((RelationalEventId.ConnectionError, LogLevel.Debug))));
        builder.Services.AddHostedService<GatewayDatabaseMigration>();
        builder.Services.AddHostedService<RateLimitSweeper>();
        builder.Services.AddHealthChecks().AddCheck<RateLimitStoreHealthCheck>(HealthCheckName, HealthStatus.Degraded);
        return builder;
    }
}

/// <summary>
/// Applies the migrations before the gateway answers, as the services do (replicas serialise on EF Core's lock). A
/// database that does not answer does not stop the gateway: the limits fail open meanwhile, and the migrations are
/// tried again every <see cref="RetryInterval"/> until they succeed.
/// </summary>
internal sealed class GatewayDatabaseMigration(IServiceScopeFactory scopes, RateLimitStore store, TimeProvider time, ILogger<GatewayDatabaseMigration> logger)
    : IHostedLifecycleService, IDisposable
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!await TryMigrateAsync(cancellationToken))
        {
            _retrying = RetryAsync(_stopping.Token);
        }
    }

    private async Task RetryAsync(CancellationToken stoppingToken)
    {
        try
        {
            do
            {
                await Task.Delay(RetryInterval, time, stoppingToken);
            }
            while (!await TryMigrateAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryMigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                logger.LogInformation("Applying migrations of {DbContext}", nameof(GatewayDbContext));
                await db.Database.MigrateAsync(cancellationToken);
                // The first anonymous request should not be the one that opens the counting pool's first connection.
                await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
                return true;
            }
            catch (Npgsql.PostgresException exception) when (exception.SqlState == Npgsql.PostgresErrorCodes.DuplicateDatabase && attempt == 1)
            {
                // A gateway starting at the same moment created the database first (EF Core's migration lock covers the
                // migrations, not the creation); the database is there now.
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "The gateway's database cannot be migrated; rate limits fail open until it can (next try in {RetryInterval} s)",
                    RetryInterval.TotalSeconds);
                return false;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();
}

/// <summary>
/// Once a window: deletes the counts of windows before the previous one (the previous is kept for a gateway whose clock
/// runs a little behind). Every gateway sweeps; the deletes are idempotent and touch a few rows per client.
/// </summary>
internal sealed class RateLimitSweeper(RateLimitStore store, TimeProvider time, ILogger<RateLimitSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RateLimiting.AnonymousWindow, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "The rate limit sweep failed; the next one tries again");
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var current = FixedWindow.At(time.GetUtcNow(), RateLimiting.AnonymousWindow);
        await using var command = store.DataSource.CreateCommand("DELETE FROM rate_limit_windows WHERE window_start < $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = current.Start - current.Length });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// <c>gatewaydb</c> in <c>/health</c>: degraded when the store does not answer within the rate limits' own bound, or
/// its table is not there yet.
/// </summary>
internal sealed class RateLimitStoreHealthCheck(RateLimitStore store, IOptions<GatewayOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.RateLimitStoreTimeout;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            // Bounded as the counting is (RateLimitCounters): a silent server must not hold the readiness probe.
            await ReadAsync(bound.Token).WaitAsync(timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                "The rate limit store does not answer: anonymous requests pass unlimited", exception);
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand("SELECT 1 FROM rate_limit_windows LIMIT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
