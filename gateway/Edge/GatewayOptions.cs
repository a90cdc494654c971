using System.ComponentModel.DataAnnotations;

namespace TeamPlatform.Gateway.Edge;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Requests per client IP per minute on anonymous routes. Development raises it: everything comes from 127.0.0.1 there.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousPermitsPerMinute { get; set; } = 60;

    /// <summary>How long the gateway waits for one service's <c>/health</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ServiceHealthTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
