using System.ComponentModel.DataAnnotations;

namespace TeamPlatform.Gateway.Edge;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Requests per client IP per minute on anonymous routes. Development raises it: everything comes from 127.0.0.1 there.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousPermitsPerMinute { get; set; } = 60;

    /// <summary>
    /// How long a request waits at most for the rate limit store (the gateway's database) to count it; past that the
    /// limit fails open for the request. A count is one statement, well under a millisecond on a healthy server.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan RateLimitStoreTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a service may stay silent on a routed request before the gateway answers <c>503 service_unavailable</c>
    /// for it (YARP's activity timeout: the time without progress, not the whole request).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ServiceTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
