using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// The per-client counts that every gateway instance shares, in the gateway's database: taking permits is one
/// statement (one round trip), bounded by <see cref="GatewayOptions.RateLimitStoreTimeout"/>. When the store does not
/// answer, the limit fails open: <see cref="TryTakeAsync"/> answers <see langword="null"/>, the request goes on and
/// <see cref="GatewayMetrics.RateLimitStoreUnavailable"/> counts it. After a failure the store is left alone for
/// <see cref="RetryAfterFailure"/>, so that an outage costs the requests nothing, not a timeout each. Like the timeout,
/// that pause is measured on the machine's monotonic clock: it bounds waiting for I/O, it is not the product's time.
/// </summary>
public sealed class RateLimitCounters(
    RateLimitStore store,
    IOptions<GatewayOptions> options,
    ILogger<RateLimitCounters> logger)
{
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    // Over the limit, the row is left as it is and no row is returned: the count never passes the limit, so a client
    // that keeps on knocking is refused as soon as the window is full and let in again as soon as the next one starts.
    private const string Take = """
        INSERT INTO rate_limit_windows AS w (partition_key, window_start, count)
        VALUES ($1, $2, $3)
        ON CONFLICT (partition_key, window_start)
        DO UPDATE SET count = w.count + excluded.count
        WHERE w.count + GREATEST(excluded.count, 1) <= $4
        RETURNING w.count
        """;

    private long _unavailableUntil = long.MinValue;

    /// <summary>
    /// Takes <paramref name="permits"/> of <paramref name="limit"/> in <paramref name="window"/> for <paramref name="partitionKey"/>:
    /// <see langword="true"/> if they were free, <see langword="false"/> if the window is full, <see langword="null"/> if the store
    /// could not say (unreachable, too slow).
    /// </summary>
    public async Task<bool?> TryTakeAsync(string partitionKey, FixedWindow window, int permits, int limit, CancellationToken cancellationToken)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _unavailableUntil))
        {
            return null;
        }

        var timeout = options.Value.RateLimitStoreTimeout;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            // Npgsql does not give up on every step of opening a connection when told to (a server that accepts and never
            // answers holds it for the connection timeout): the wait is bounded here whatever the command does meanwhile.
            var taken = await TakeAsync(partitionKey, window, permits, limit, bound.Token).WaitAsync(timeout, cancellationToken);
            Recovered();
            return taken;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (no server, a timeout, a missing table), a request is never refused nor failed for it.
            Failed(exception);
            return null;
        }
    }

    private async Task<bool> TakeAsync(string partitionKey, FixedWindow window, int permits, int limit, CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand(Take);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partitionKey });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = window.Start });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = permits });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private void Failed(Exception exception)
    {
        var until = Environment.TickCount64 + (long)RetryAfterFailure.TotalMilliseconds;
        if (Interlocked.Exchange(ref _unavailableUntil, until) == long.MinValue)
        {
            logger.LogWarning(exception, "The rate limit store does not answer; anonymous requests pass unlimited, and the store is asked again every {RetryAfter} s",
                RetryAfterFailure.TotalSeconds);
        }
    }

    private void Recovered()
    {
        if (Interlocked.Read(ref _unavailableUntil) != long.MinValue
            && Interlocked.Exchange(ref _unavailableUntil, long.MinValue) != long.MinValue)
        {
            logger.LogInformation("The rate limit store answers again; anonymous requests are limited again");
        }
    }
}

/// <summary>The connections to the gateway's database that the rate limits count on (plain Npgsql: one statement per request).</summary>
public sealed class RateLimitStore(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <summary>
    /// A data source on <paramref name="connectionString"/> that gives up at once when a command is cancelled (no wait for the
    /// server to confirm the cancellation), so the caller's bound holds even when the server has gone silent.
    /// </summary>
    public static RateLimitStore Create(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString) { CancellationTimeout = -1 };
        var builder = new NpgsqlDataSourceBuilder(connection.ConnectionString);
        // As in the services: a command outside any request (the sweep) would be a root span that says nothing.
        builder.ConfigureTracing(tracing => tracing
            .EnablePhysicalOpenTracing(false)
            .ConfigureCommandFilter(_ => Activity.Current is not null));
        return new RateLimitStore(builder.Build());
    }
}
