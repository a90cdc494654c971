using System.ComponentModel.DataAnnotations;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>Webhook delivery settings (docs/webhooks.md#operating).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Notifications:Webhooks";

    /// <summary>
    /// Whether endpoints may be plain http and point at loopback or private addresses. Unset means: only in Development,
    /// where receivers run on the developer's machine; the service settles it at start.
    /// </summary>
    public bool? AllowLocalTargets { get; set; }

    /// <summary>The settled <see cref="AllowLocalTargets"/>: the setting is nullable only so that binding can tell unset from false.</summary>
    public bool LocalTargetsAllowed => AllowLocalTargets == true;

    /// <summary>How long a receiver has to answer one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(1, 100)]
    public int MaxEndpointsPerOrganisation { get; set; } = 20;

    /// <summary>Attempts running at once in one replica.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 16;

    /// <summary>How often the worker looks for due attempts when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
