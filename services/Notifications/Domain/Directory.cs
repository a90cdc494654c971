namespace TeamPlatform.Notifications.Domain;

/// <summary>
/// What this service knows of an organisation, kept from identity's events: enough to word a message and
/// to decide on SMS fallback. Events may arrive out of order; only a newer one changes the entry.
/// </summary>
public sealed class OrganisationProfile
{
    private OrganisationProfile()
    {
    }

    public Guid OrgId { get; private set; }

    public string Name { get; private set; } = "";

    public string Language { get; private set; } = MessageTemplates.DefaultLanguage;

    public bool SmsFallback { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static OrganisationProfile Create(Guid orgId, string name, string language, bool smsFallback, DateTimeOffset occurredAt) => new()
    {
        OrgId = orgId,
        Name = name,
        Language = language,
        SmsFallback = smsFallback,
        UpdatedAt = occurredAt,
    };

    public void Update(string name, string language, bool smsFallback, DateTimeOffset occurredAt)
    {
        if (occurredAt < UpdatedAt)
        {
            return;
        }

        Name = name;
        Language = language;
        SmsFallback = smsFallback;
        UpdatedAt = occurredAt;
    }
}

/// <summary>How to reach a member: kept from permission's and identity's events.</summary>
public sealed class MemberContact
{
    private MemberContact()
    {
    }

    public Guid MemberId { get; private set; }

    public Guid OrgId { get; private set; }

    public string Phone { get; private set; } = "";

    public string Username { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    public static MemberContact Create(Guid orgId, Guid memberId, string phone, string username, DateTimeOffset occurredAt) => new()
    {
        OrgId = orgId,
        MemberId = memberId,
        Phone = phone,
        Username = username,
        UpdatedAt = occurredAt,
    };

    public void Update(string phone, string username, DateTimeOffset occurredAt)
    {
        if (occurredAt < UpdatedAt)
        {
            return;
        }

        Phone = phone;
        Username = username;
        UpdatedAt = occurredAt;
    }
}
