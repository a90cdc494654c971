using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;

namespace TeamPlatform.Notifications.Features.KeepDirectory;

/// <summary>Keeps each organisation's name, language and SMS fallback setting, to word and route its messages.</summary>
public sealed class OrganisationCreatedConsumer(NotificationDbContext db) : InboxConsumer<OrganisationCreated, NotificationDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<OrganisationCreated> context)
    {
        var m = context.Message;
        return Db.UpsertOrganisationAsync(m.OrgId, m.Name, m.Settings, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class OrganisationSettingsChangedConsumer(NotificationDbContext db) : InboxConsumer<OrganisationSettingsChanged, NotificationDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<OrganisationSettingsChanged> context)
    {
        var m = context.Message;
        return Db.UpsertOrganisationAsync(m.OrgId, m.Name, m.Settings, m.OccurredAt, context.CancellationToken);
    }
}

/// <summary>Keeps each member's phone and username, so that <c>approved</c> reaches them.</summary>
public sealed class MemberRegisteredConsumer(NotificationDbContext db) : InboxConsumer<MemberRegistered, NotificationDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<MemberRegistered> context)
    {
        var m = context.Message;
        return Db.UpsertMemberAsync(m.OrgId, m.MemberId, m.Phone, m.Username, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class MemberProfileChangedConsumer(NotificationDbContext db) : InboxConsumer<MemberProfileChanged, NotificationDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<MemberProfileChanged> context)
    {
        var m = context.Message;
        return Db.UpsertMemberAsync(m.OrgId, m.MemberId, m.Phone, m.Username, m.OccurredAt, context.CancellationToken);
    }
}

internal static class DirectoryUpdates
{
    public static async Task UpsertOrganisationAsync(
        this NotificationDbContext db, Guid orgId, string name, OrganisationSettings settings, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.FindAsync([orgId], cancellationToken);
        if (organisation is null)
        {
            db.Organisations.Add(OrganisationProfile.Create(orgId, name, settings.Language, settings.SmsFallback, occurredAt));
        }
        else
        {
            organisation.Update(name, settings.Language, settings.SmsFallback, occurredAt);
        }
    }

    public static async Task UpsertMemberAsync(
        this NotificationDbContext db, Guid orgId, Guid memberId, string phone, string username, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        var member = await db.Members.FindAsync([memberId], cancellationToken);
        if (member is null)
        {
            db.Members.Add(MemberContact.Create(orgId, memberId, phone, username, occurredAt));
        }
        else
        {
            member.Update(phone, username, occurredAt);
        }
    }
}
