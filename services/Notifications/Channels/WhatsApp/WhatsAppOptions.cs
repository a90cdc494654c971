using System.ComponentModel.DataAnnotations;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Channels.WhatsApp;

/// <summary>
/// The WhatsApp Business Cloud API. Configured when <see cref="AccessToken"/> is set; then every other
/// key but the template names is required, so a half-configured provider refuses to start.
/// </summary>
public sealed class WhatsAppOptions : IValidatableObject
{
    public const string Section = "Notifications:WhatsApp";

    /// <summary>The Graph API with its version; tests point it at a local fake.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://graph.facebook.com/v23.0/");

    /// <summary>The id of the business phone number that sends (not the number itself).</summary>
    public string PhoneNumberId { get; set; } = "";

    /// <summary>A system user's permanent access token with <c>whatsapp_business_messaging</c>.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>The Meta app's secret: webhook payloads are signed with it (<c>X-Hub-Signature-256</c>).</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>The token typed into the app's webhook settings, echoed in the verification handshake.</summary>
    public string VerifyToken { get; set; } = "";

    /// <summary>How long one call may take before it counts as a transient failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The approved WhatsApp template behind each TeamPlatform template, and the order of its body parameters.</summary>
    public Dictionary<string, WhatsAppTemplate> Templates { get; set; } = DefaultTemplates();

    /// <summary>TeamPlatform language → WhatsApp template language code, where they differ (<c>pt</c> → <c>pt_BR</c>).</summary>
    public Dictionary<string, string> Languages { get; set; } = new() { ["pt"] = "pt_BR" };

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccessToken);

    public WhatsAppTemplate TemplateFor(string template) =>
        Templates.TryGetValue(template, out var configured) ? configured : DefaultTemplates()[template];

    public string LanguageCode(string language) => Languages.GetValueOrDefault(language, language);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield break;
        }

        foreach (var (key, value) in new[] { ("PhoneNumberId", PhoneNumberId), ("AppSecret", AppSecret), ("VerifyToken", VerifyToken) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult($"{Section}:{key} is required when {Section}:AccessToken is set.", [key]);
            }
        }

        foreach (var template in TemplateNames.All.Where(t => Templates.TryGetValue(t, out var configured) && string.IsNullOrWhiteSpace(configured.Name)))
        {
            yield return new ValidationResult($"{Section}:Templates:{template}:Name must not be empty.", [nameof(Templates)]);
        }
    }

    // Names of templates to submit for approval in WhatsApp Manager (see docs/notifications.md); the OTP ones are
    // "authentication" templates, whose copy-code button repeats the code.
    private static Dictionary<string, WhatsAppTemplate> DefaultTemplates() => new()
    {
        [TemplateNames.Otp] = new() { Name = "teamplatform_otp", Parameters = ["code"], CodeButton = true },
        [TemplateNames.PasswordReset] = new() { Name = "teamplatform_password_reset", Parameters = ["code"], CodeButton = true },
        [TemplateNames.Invitation] = new() { Name = "teamplatform_invitation", Parameters = ["inviter", "organisation", "expiresOn", "link"] },
        [TemplateNames.ApprovalRequest] = new() { Name = "teamplatform_approval_request", Parameters = ["username", "organisation"] },
        [TemplateNames.Approved] = new() { Name = "teamplatform_approved", Parameters = ["username", "organisation"] },
        [TemplateNames.AccessExpired] = new() { Name = "teamplatform_access_expired", Parameters = ["username", "organisation"] },
        [TemplateNames.WebhookDisabled] = new() { Name = "teamplatform_webhook_disabled", Parameters = ["organisation", "host"] },
    };
}

public sealed class WhatsAppTemplate
{
    public string Name { get; set; } = "";

    /// <summary>The variables that fill the template's body parameters {{1}}, {{2}}… in this order.</summary>
    public List<string> Parameters { get; set; } = [];

    /// <summary>An authentication template's copy-code (URL) button, which takes the code as its parameter.</summary>
    public bool CodeButton { get; set; }
}
