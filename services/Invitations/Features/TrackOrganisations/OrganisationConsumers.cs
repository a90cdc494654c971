using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Messaging;

namespace TeamPlatform.Invitations.Features.TrackOrganisations;

/// <summary>Learns an organisation's name, slug, language, invitation lifetime and chatbot number from identity.</summary>
public sealed class OrganisationCreatedConsumer(InvitationDbContext db) : InboxConsumer<OrganisationCreated, InvitationDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<OrganisationCreated> context)
    {
        var message = context.Message;
        return Organisations.ApplyAsync(Db, message.OrgId, message.Slug, message.Name, message.Settings, message.OccurredAt, context.CancellationToken);
    }
}

/// <summary>Keeps the organisation current; a change arriving before the creation (another queue) is fine.</summary>
public sealed class OrganisationSettingsChangedConsumer(InvitationDbContext db) : InboxConsumer<OrganisationSettingsChanged, InvitationDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<OrganisationSettingsChanged> context)
    {
        var message = context.Message;
        return Organisations.ApplyAsync(Db, message.OrgId, message.Slug, message.Name, message.Settings, message.OccurredAt, context.CancellationToken);
    }
}

internal static class Organisations
{
    // Both events carry the whole state, so whichever is newest wins whatever the order of arrival.
    public static async Task ApplyAsync(
        InvitationDbContext db, Guid orgId, string slug, string name, OrganisationSettings settings, DateTimeOffset stateAt, CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.FindAsync([orgId], cancellationToken);
        if (organisation is null)
        {
            db.Organisations.Add(Organisation.Known(orgId, slug, name, settings.Language, settings.InviteTtlDays, stateAt, settings.ChatbotPhone));
            return;
        }

        organisation.Apply(slug, name, settings.Language, settings.InviteTtlDays, stateAt, settings.ChatbotPhone);
    }
}
