namespace TeamPlatform.Contracts.V1;

/// <summary>The settings of an organisation, as every service that reacts to them needs them.</summary>
/// <param name="SelfRegistration"><c>approval</c> or <c>closed</c>.</param>
/// <param name="SmsFallback">Whether a message WhatsApp cannot deliver may go out by SMS.</param>
public sealed record OrganisationSettings(
    int AutoAdminCount,
    int InviteTtlDays,
    string SelfRegistration,
    string? ChatbotPhone,
    string Language,
    bool SmsFallback);

/// <summary>An organisation exists: its creator has verified their phone.</summary>
public sealed record OrganisationCreated(
    Guid OrgId,
    string Slug,
    string Name,
    OrganisationSettings Settings,
    DateTimeOffset OccurredAt);

/// <summary>An organisation's name or settings changed; carries the whole new state.</summary>
public sealed record OrganisationSettingsChanged(
    Guid OrgId,
    string Slug,
    string Name,
    OrganisationSettings Settings,
    DateTimeOffset OccurredAt);
