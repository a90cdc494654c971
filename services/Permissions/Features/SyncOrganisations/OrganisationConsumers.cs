using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Features.SyncOrganisations;

/// <summary>Keeps <c>autoAdminCount</c> as identity has it; the organisation's row may already exist from its creator's registration.</summary>
public sealed class OrganisationCreatedConsumer(PermissionDbContext db, TimeProvider time)
    : InboxConsumer<OrganisationCreated, PermissionDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<OrganisationCreated> context) =>
        OrganisationSettings.ApplyAsync(Db, context.Message.OrgId, context.Message.Settings.AutoAdminCount, context.Message.OccurredAt, time, context.CancellationToken);
}

public sealed class OrganisationSettingsChangedConsumer(PermissionDbContext db, TimeProvider time)
    : InboxConsumer<OrganisationSettingsChanged, PermissionDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<OrganisationSettingsChanged> context) =>
        OrganisationSettings.ApplyAsync(Db, context.Message.OrgId, context.Message.Settings.AutoAdminCount, context.Message.OccurredAt, time, context.CancellationToken);
}

internal static class OrganisationSettings
{
    public static async Task ApplyAsync(PermissionDbContext db, Guid orgId, int autoAdminCount, DateTimeOffset occurredAt, TimeProvider time, CancellationToken cancellationToken)
    {
        await db.EnsureOrganisationAsync(orgId, autoAdminCount, time.GetUtcNow(), cancellationToken);
        var organisation = (await db.LockOrganisationAsync(orgId, cancellationToken))!;
        organisation.ApplySettings(autoAdminCount, occurredAt);
    }
}
