using System.ComponentModel.DataAnnotations;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>Retries, fallback and the worker's pace. See docs/decisions/0402-retries-in-the-database.md.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Notifications:Delivery";

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts per channel, the first included.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>No attempt starts later than this after the message was queued (an OTP's own expiry comes first).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// After a provider call with no answer (a timeout, the connection lost, an unreadable answer): how long the
    /// provider's receipt is awaited before SMS takes over or the message is sent again. See decision 0404.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan ReceiptWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long WhatsApp has to deliver (receipt included) before SMS takes over, where allowed.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan SmsFallbackAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>SMS fallback for an organisation this service has not heard of yet (the creator's own OTP).</summary>
    public bool SmsFallbackForUnknownOrganisation { get; set; } = true;

    /// <summary>How often the worker looks for due attempts when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Attempts running at once in one replica.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    public RetryPolicy Retries => new(FirstRetryDelay, MaxRetryDelay, MaxAttempts, ReceiptWait);
}
