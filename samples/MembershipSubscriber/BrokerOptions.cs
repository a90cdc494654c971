using System.ComponentModel.DataAnnotations;

namespace MembershipSubscriber;

/// <summary>Where TeamPlatform publishes (<c>RabbitMq__Host</c>, <c>RabbitMq__VirtualHost</c>… in the environment).</summary>
public sealed class BrokerOptions
{
    public const string Section = "RabbitMq";

    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public ushort Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    [Required]
    public string Password { get; set; } = "guest";

    /// <summary>This subscriber's own queue: a name no other subscriber uses, or the two would share the events.</summary>
    [Required]
    public string Queue { get; set; } = "membership-subscriber";
}
