using System.ComponentModel.DataAnnotations;

namespace TeamPlatform.Invitations.Infrastructure;

/// <summary>Where clients reach TeamPlatform (the gateway): links are built on it.</summary>
public sealed class PublicUrlOptions
{
    public const string Section = "TeamPlatform";

    [Required, Url]
    public string PublicBaseUrl { get; set; } = "";
}

public sealed class InvitationOptions
{
    public const string Section = "Invitations";

    /// <summary>How often the sweep looks for invitations whose expiry has not been announced yet.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 10_000)]
    public int ExpirySweepBatchSize { get; set; } = 500;

    /// <summary>
    /// How long an acceptance may wait for its member before the invitation is given back (docs/reliability.md): a
    /// registration's verification creates the member seconds after it consumed the invitation, or fails and is
    /// tried again at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan UnfinishedAcceptanceReleaseAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Invitations of a bulk upload sent per second and organisation (decision 0304): 1,000 rows take 200 s at the
    /// default, well inside what the notification service's per-phone caps and the providers take.
    /// </summary>
    [Range(1, 100)]
    public int BulkSendRatePerSecond { get; set; } = 5;
}
