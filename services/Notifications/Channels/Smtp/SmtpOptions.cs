using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace TeamPlatform.Notifications.Channels.Smtp;

/// <summary>Email through an SMTP server (MailKit). Configured when <see cref="Host"/> is set.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string Section = "Notifications:Smtp";

    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (port 587), <c>SslOnConnect</c> (465), <c>Auto</c>, or <c>None</c> (a relay on loopback only).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Leave empty for a server that needs no authentication.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public string FromAddress { get; set; } = "";

    public string FromName { get; set; } = "TeamPlatform";

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsConfigured && !MimeKit.MailboxAddress.TryParse(FromAddress, out _))
        {
            yield return new ValidationResult($"{Section}:FromAddress must be an email address when {Section}:Host is set.", [nameof(FromAddress)]);
        }
    }
}
