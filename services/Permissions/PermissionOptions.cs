using System.ComponentModel.DataAnnotations;

namespace TeamPlatform.Permissions;

public sealed class PermissionOptions
{
    public const string Section = "Permissions";

    /// <summary>
    /// How often each replica compares its snapshots' revisions with the database. Events keep snapshots
    /// current within milliseconds; this only repairs a replica that missed some (its queue was recreated).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An organisation nobody asked about for this long leaves the replica's memory.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan SnapshotIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How often each replica looks for time-bound access that has ended, to record it (checks answer by the clock
    /// meanwhile): the lapse's revision, audit entry and event follow the instant within this interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan TimeBoundSweepInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Names this replica's own queue; a random id when not set.</summary>
    [RegularExpression("^[a-z0-9-]{1,40}$")]
    public string? ReplicaId { get; set; }
}
