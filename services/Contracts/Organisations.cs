namespace TeamPlatform.Contracts.V1;

/// <summary>The settings of an organisation, as every service that reacts to them needs them.</summary>
/// <param name="AutoAdminCount">How many of the first members who register become admins at once.</param>
/// <param name="InviteTtlDays">How many days an invitation's link works.</param>
/// <param name="SelfRegistration"><c>approval</c> or <c>closed</c>.</param>
/// <param name="ChatbotPhone">The organisation's chatbot number, E.164, or null when it has none.</param>
/// <param name="Language">The language of the messages sent to members (<c>en</c>, <c>fr</c>…).</param>
/// <param name="SmsFallback">Whether a message WhatsApp cannot deliver may go out by SMS.</param>
public sealed record OrganisationSettings(
    int AutoAdminCount,
    int InviteTtlDays,
    string SelfRegistration,
    string? ChatbotPhone,
    string Language,
    bool SmsFallback);

/// <summary>An organisation exists: its creator has verified their phone.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="Slug">The organisation's short name in URLs.</param>
/// <param name="Name">The organisation's display name.</param>
/// <param name="Settings">Its settings.</param>
/// <param name="OccurredAt">When the organisation was created (UTC).</param>
public sealed record OrganisationCreated(
    Guid OrgId,
    string Slug,
    string Name,
    OrganisationSettings Settings,
    DateTimeOffset OccurredAt);

/// <summary>An organisation's name or settings changed; carries the whole new state.</summary>
/// <param name="OrgId">The organisation.</param>
/// <param name="Slug">The organisation's short name in URLs.</param>
/// <param name="Name">The display name after the change.</param>
/// <param name="Settings">The whole settings after the change.</param>
/// <param name="OccurredAt">When they changed (UTC).</param>
public sealed record OrganisationSettingsChanged(
    Guid OrgId,
    string Slug,
    string Name,
    OrganisationSettings Settings,
    DateTimeOffset OccurredAt);
