using System.ComponentModel.DataAnnotations;

namespace TeamPlatform.Messaging;

public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>How often the relay looks for rows when no commit has signalled it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>How long one publish may wait for the broker's confirmation before the batch is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest pause between relay attempts while the broker is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long handled message ids are remembered; redeliveries come within minutes, not days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long after start the classic queues replaced by quorum queues are looked for again (a rolling update's old
    /// instances may still declare them); passes go on past it while one is still read by an old instance.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan QueueRetirementWindow { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan QueueRetirementInterval { get; set; } = TimeSpan.FromSeconds(30);
}
