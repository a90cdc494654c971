using System.ComponentModel.DataAnnotations;

namespace TeamPlatform.Notifications.Channels.Twilio;

/// <summary>SMS through Twilio's Messages API. Configured when <see cref="AccountSid"/> is set.</summary>
public sealed class TwilioOptions : IValidatableObject
{
    public const string Section = "Notifications:Twilio";

    /// <summary>Twilio's REST API; tests point it at a local fake.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com/");

    public string AccountSid { get; set; } = "";

    /// <summary>Signs the status callbacks too (<c>X-Twilio-Signature</c>).</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>The sending number in E.164, or leave empty and give <see cref="MessagingServiceSid"/>.</summary>
    public string From { get; set; } = "";

    public string MessagingServiceSid { get; set; } = "";

    /// <summary>
    /// The public URL Twilio posts status changes to, and the one their signature is computed over; by default
    /// <c>{TeamPlatform:PublicBaseUrl}/webhooks/twilio</c>.
    /// </summary>
    public Uri? StatusCallbackUrl { get; set; }

    /// <summary>The query parameter of <see cref="StatusCallbackFor"/> naming the delivery log entry.</summary>
    public const string NotificationParameter = "notification";

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountSid);

    /// <summary>
    /// The status callback of one message: <see cref="StatusCallbackUrl"/> naming the entry, so that a receipt finds it
    /// even when the answer with Twilio's message id was lost. Twilio signs the URL with its query.
    /// </summary>
    public Uri StatusCallbackFor(Guid notificationId)
    {
        var url = StatusCallbackUrl ?? throw new InvalidOperationException($"{Section}:StatusCallbackUrl is not set.");
        var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
        return new Uri($"{url.AbsoluteUri}{separator}{NotificationParameter}={notificationId:N}");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(AuthToken))
        {
            yield return new ValidationResult($"{Section}:AuthToken is required when {Section}:AccountSid is set.", [nameof(AuthToken)]);
        }

        if (string.IsNullOrWhiteSpace(From) == string.IsNullOrWhiteSpace(MessagingServiceSid))
        {
            yield return new ValidationResult($"Give exactly one of {Section}:From and {Section}:MessagingServiceSid.", [nameof(From)]);
        }

        if (StatusCallbackUrl is null)
        {
            yield return new ValidationResult($"{Section}:StatusCallbackUrl is required (or TeamPlatform:PublicBaseUrl).", [nameof(StatusCallbackUrl)]);
        }
    }
}
