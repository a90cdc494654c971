using Microsoft.EntityFrameworkCore;

namespace TeamPlatform.Gateway.Storage;

/// <summary>
/// What the gateway instances share: the counts of the per-client rate limits, so that a limit holds however many
/// gateways a client's requests are spread over. The requests count with one SQL statement (<see cref="Edge.RateLimitCounters"/>);
/// this context is the schema and its migrations.
/// </summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "gatewaydb";

    public DbSet<RateLimitWindowCount> RateLimitWindows => Set<RateLimitWindowCount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RateLimitWindowCount>(window =>
        {
            // Counts of the current minute are worth no write-ahead log: unlogged, a count is one write without a flush to
            // disk. A crash or a failover empties the table, which lets every client start a fresh window: harmless.
            window.ToTable("rate_limit_windows").IsUnlogged();
            window.HasKey(w => new { w.PartitionKey, w.WindowStart });
            window.Property(w => w.PartitionKey).HasMaxLength(200);
            // The sweep deletes by age alone.
            window.HasIndex(w => w.WindowStart);
        });
    }
}

/// <summary>How many permits one partition (a policy and a client address) took in the window that starts at <see cref="WindowStart"/>.</summary>
public sealed class RateLimitWindowCount
{
    public required string PartitionKey { get; init; }

    public DateTimeOffset WindowStart { get; init; }

    public int Count { get; set; }
}
