using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Features.GatherAudit;

/// <summary>
/// The organisation's audit gathers what identity and invitation publish (docs/permissions.md#audit-chain): sign-ins,
/// sessions ended, invitations sent, renewed, revoked and accepted. Each fact is chained once (the inbox drops a
/// redelivery) under the organisation's lock, like an access change, and dated when it happened in its service.
/// </summary>
public abstract class AuditFactConsumer<TFact>(PermissionDbContext db) : InboxConsumer<TFact, PermissionDbContext>(db)
    where TFact : class
{
    protected override async Task HandleAsync(ConsumeContext<TFact> context)
    {
        var (orgId, action, memberId, actorId, details, occurredAt) = Fact(context.Message);
        // A fact about an organisation this service has not heard of yet waits for it: the retry finds it.
        var organisation = await Db.LockOrganisationAsync(orgId, context.CancellationToken)
            ?? throw new OrganisationNotKnownYetException(orgId);
        Db.Audit(organisation, AuditEntry.OfFact(orgId, action, memberId, actorId, details, organisation.Revision, occurredAt));
    }

    protected abstract AuditFact Fact(TFact message);
}

/// <summary>What one event adds to the audit: whose it is, who did it, and what (kept as the entry's <c>after</c>).</summary>
public sealed record AuditFact(Guid OrgId, string Action, Guid? MemberId, Guid? ActorId, object Details, DateTimeOffset OccurredAt);

public sealed class MemberSignedInAuditConsumer(PermissionDbContext db) : AuditFactConsumer<MemberSignedIn>(db)
{
    protected override AuditFact Fact(MemberSignedIn m) =>
        new(m.OrgId, AuditActions.SignedIn, m.MemberId, m.MemberId, new { sessionId = m.SessionId }, m.OccurredAt);
}

public sealed class MemberSessionsRevokedAuditConsumer(PermissionDbContext db) : AuditFactConsumer<MemberSessionsRevoked>(db)
{
    protected override AuditFact Fact(MemberSessionsRevoked m) =>
        new(m.OrgId, AuditActions.SessionsRevoked, m.MemberId, null, new { reason = m.Reason, sessionId = m.SessionId }, m.OccurredAt);
}

public sealed class InvitationCreatedAuditConsumer(PermissionDbContext db) : AuditFactConsumer<InvitationCreated>(db)
{
    protected override AuditFact Fact(InvitationCreated m) =>
        new(m.OrgId, AuditActions.InvitationSent, null, m.InvitedBy, new { invitationId = m.InvitationId, phone = m.Phone, expiresAt = m.ExpiresAt }, m.OccurredAt);
}

public sealed class InvitationRenewedAuditConsumer(PermissionDbContext db) : AuditFactConsumer<InvitationRenewed>(db)
{
    protected override AuditFact Fact(InvitationRenewed m) =>
        new(m.OrgId, AuditActions.InvitationRenewed, null, m.RenewedBy, new { invitationId = m.InvitationId, expiresAt = m.ExpiresAt }, m.OccurredAt);
}

public sealed class InvitationRevokedAuditConsumer(PermissionDbContext db) : AuditFactConsumer<InvitationRevoked>(db)
{
    protected override AuditFact Fact(InvitationRevoked m) =>
        new(m.OrgId, AuditActions.InvitationRevoked, null, m.RevokedBy, new { invitationId = m.InvitationId }, m.OccurredAt);
}

public sealed class InvitationAcceptedAuditConsumer(PermissionDbContext db) : AuditFactConsumer<InvitationAccepted>(db)
{
    protected override AuditFact Fact(InvitationAccepted m) =>
        new(m.OrgId, AuditActions.InvitationAccepted, m.MemberId, m.MemberId, new { invitationId = m.InvitationId }, m.OccurredAt);
}

public sealed class OrganisationNotKnownYetException(Guid orgId)
    : Exception($"Organisation {orgId} is not known to the permission service yet.");
