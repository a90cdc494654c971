namespace TeamPlatform.Invitations.Domain;

/// <summary>
/// What this service needs to know of an organisation (from identity's events): its name and slug for the
/// invitee, its language for the message, how long an invitation lives, and its chatbot number (never invited).
/// </summary>
public sealed class Organisation
{
    public const int DefaultInviteTtlDays = 30;
    public const int MaxInviteTtlDays = 90;

    private Organisation()
    {
    }

    public Guid Id { get; private set; }

    public string Slug { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string Language { get; private set; } = "en";

    public int InviteTtlDays { get; private set; } = DefaultInviteTtlDays;

    /// <summary>The organisation's own WhatsApp number (E.164), if it has one: nobody registers with it, so nobody is invited with it.</summary>
    public string? ChatbotPhone { get; private set; }

    /// <summary>When the state applied last was true; an older message arriving late changes nothing.</summary>
    public DateTimeOffset StateAt { get; private set; }

    public static Organisation Known(
        Guid id, string slug, string name, string language, int inviteTtlDays, DateTimeOffset stateAt, string? chatbotPhone = null)
    {
        var organisation = new Organisation { Id = id };
        organisation.Apply(slug, name, language, inviteTtlDays, stateAt, chatbotPhone);
        return organisation;
    }

    /// <summary>Applies the organisation's state as of <paramref name="stateAt"/>, unless a newer one was applied already.</summary>
    public bool Apply(string slug, string name, string language, int inviteTtlDays, DateTimeOffset stateAt, string? chatbotPhone = null)
    {
        if (StateAt != default && stateAt <= StateAt)
        {
            return false;
        }

        Slug = slug;
        Name = name;
        Language = string.IsNullOrWhiteSpace(language) ? "en" : language;
        InviteTtlDays = inviteTtlDays is >= 1 and <= MaxInviteTtlDays ? inviteTtlDays : DefaultInviteTtlDays;
        ChatbotPhone = string.IsNullOrWhiteSpace(chatbotPhone) ? null : chatbotPhone;
        StateAt = stateAt;
        return true;
    }
}
