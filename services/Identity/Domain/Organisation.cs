using System.Text.RegularExpressions;
using E164 = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Identity.Domain;

/// <summary>How strangers may join: through an admin's approval, or not at all (invitations only).</summary>
public enum SelfRegistration
{
    Approval,
    Closed,
}

/// <summary>An organisation's settings (docs/product.md#organisation) and the rules each one follows.</summary>
public sealed partial record OrganisationSettings(
    int AutoAdminCount,
    int InviteTtlDays,
    SelfRegistration SelfRegistration,
    string? ChatbotPhone,
    string Language,
    bool SmsFallback)
{
    public const int MaxAutoAdminCount = 1000;

    public static OrganisationSettings Default { get; } = new(2, 30, SelfRegistration.Approval, null, "en", true);

    /// <summary>Checks every rule; the chatbot phone must already be in E.164.</summary>
    public Refusal? Validate()
    {
        if (AutoAdminCount is < 1 or > MaxAutoAdminCount)
        {
            return Refusal.Invalid($"autoAdminCount is between 1 and {MaxAutoAdminCount}.");
        }

        if (InviteTtlDays is < 1 or > 90)
        {
            return Refusal.Invalid("inviteTtlDays is between 1 and 90.");
        }

        if (!Enum.IsDefined(SelfRegistration))
        {
            return Refusal.Invalid("selfRegistration is approval or closed.");
        }

        if (ChatbotPhone is not null && (!E164.TryNormalize(ChatbotPhone, out var e164) || e164 != ChatbotPhone))
        {
            return new Refusal(RefusalKind.InvalidPhone, "chatbotPhone is not a phone number in E.164.");
        }

        return LanguageTag().IsMatch(Language)
            ? null
            : Refusal.Invalid("language is a language tag such as en, fr or pt-BR.");
    }

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}

/// <summary>
/// A tenant. It is proposed when someone asks to create it, and exists only once its creator has verified
/// their phone; an unverified proposal holds its slug until it expires.
/// </summary>
public sealed class Organisation
{
    public const int MaxNameLength = 100;

    private Organisation()
    {
    }

    public Guid Id { get; private set; }

    public string Slug { get; private set; } = "";

    public string Name { get; private set; } = "";

    public OrganisationSettings Settings { get; private set; } = OrganisationSettings.Default;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? VerifiedAt { get; private set; }

    /// <summary>Until when an unverified proposal holds the slug; null once verified.</summary>
    public DateTimeOffset? ProposalExpiresAt { get; private set; }

    public bool IsVerified => VerifiedAt is not null;

    public static bool IsValidName(string? name) => name is not null && name.Trim().Length is > 0 and <= MaxNameLength;

    public static Organisation Propose(string slug, string name, DateTimeOffset now, TimeSpan holdFor)
    {
        if (!Domain.Slug.IsValid(slug) || !IsValidName(name))
        {
            throw new ArgumentException("The slug and name are validated before an organisation is proposed.");
        }

        return new Organisation
        {
            Id = Guid.CreateVersion7(now),
            Slug = slug,
            Name = name.Trim(),
            CreatedAt = now,
            ProposalExpiresAt = now + holdFor,
        };
    }

    public bool IsExpiredProposal(DateTimeOffset now) => !IsVerified && now >= ProposalExpiresAt;

    /// <summary>The creator proved their phone: the organisation now exists.</summary>
    public void Verify(DateTimeOffset now)
    {
        if (IsVerified)
        {
            return;
        }

        VerifiedAt = now;
        ProposalExpiresAt = null;
    }

    public Refusal? Change(string? name, OrganisationSettings settings)
    {
        if (name is not null && !IsValidName(name))
        {
            return Refusal.Invalid($"name has 1 to {MaxNameLength} characters.");
        }

        if (settings.Validate() is { } invalid)
        {
            return invalid;
        }

        Name = name?.Trim() ?? Name;
        Settings = settings;
        return null;
    }

    /// <summary>Nobody registers with the organisation's own chatbot number: staff register with a phone of their own.</summary>
    public Refusal? AllowsPhone(string e164) =>
        Settings.ChatbotPhone == e164
            ? new Refusal(RefusalKind.ChatbotNumber, "This is the organisation's chatbot number; register with your personal number.")
            : null;

    /// <summary>With registration closed, only an invitation lets someone in.</summary>
    public Refusal? AllowsSelfRegistration(bool invited) =>
        Settings.SelfRegistration == SelfRegistration.Closed && !invited
            ? new Refusal(RefusalKind.RegistrationClosed, "This organisation takes new members by invitation only.")
            : null;
}
