using System.Threading.RateLimiting;

namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// A fixed-window limit of one partition (a client address) whose count lives in the gateway's database, so it holds
/// across every gateway instance. It only answers asynchronously: <see cref="AttemptAcquireCore"/> answers "not
/// acquired" without metadata, which sends ASP.NET Core's rate-limiting middleware on to <see cref="AcquireAsyncCore"/>.
/// </summary>
public sealed class SharedFixedWindowLimiter(
    string partitionKey,
    int permitLimit,
    TimeSpan window,
    RateLimitCounters counters,
    GatewayMetrics metrics,
    string policy,
    TimeProvider time) : RateLimiter
{
    private static readonly RateLimitLease Undecided = new Lease(acquired: false, retryAfter: null);
    private static readonly RateLimitLease Acquired = new Lease(acquired: true, retryAfter: null);

    private long _lastUsed = time.GetTimestamp();
    private long _successfulLeases;
    private long _failedLeases;

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics GetStatistics() => new()
    {
        TotalSuccessfulLeases = Interlocked.Read(ref _successfulLeases),
        TotalFailedLeases = Interlocked.Read(ref _failedLeases),
    };

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, permitLimit);
        return Undecided;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, permitLimit);
        Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());
        var now = time.GetUtcNow();
        var current = FixedWindow.At(now, window);
        switch (await counters.TryTakeAsync(partitionKey, current, permitCount, permitLimit, cancellationToken))
        {
            case true:
                Interlocked.Increment(ref _successfulLeases);
                return Acquired;
            case false:
                Interlocked.Increment(ref _failedLeases);
                return new Lease(acquired: false, retryAfter: current.RemainingAt(now));
            default:
                metrics.RateLimitStoreUnavailable(policy);
                Interlocked.Increment(ref _successfulLeases);
                return Acquired;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
