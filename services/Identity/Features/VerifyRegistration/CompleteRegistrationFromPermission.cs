using MassTransit;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;

namespace TeamPlatform.Identity.Features.VerifyRegistration;

/// <summary>
/// Completes a registration whose verification created the member in permission but never committed here: identity's
/// database went away after permission's answer, and the client gave up on the 503 instead of trying again. Permission
/// creates a member only when identity asks, after the code was checked, so its event is proof enough.
/// A verification still under way holds the registration's row lock: this waits for it, then finds the registration
/// completed and changes nothing.
/// </summary>
public sealed class CompleteRegistrationFromPermission(IdentityDbContext db, PermissionClient permission, IdentityMetrics metrics, TimeProvider time)
    : InboxConsumer<MemberRegistered, IdentityDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<MemberRegistered> context)
    {
        var registered = context.Message;
        var cancellationToken = context.CancellationToken;
        if (registered.RegistrationId is not { } id
            || await Db.LockRegistrationAsync(id, cancellationToken) is not { IsCompleted: false } registration
            || registration.OrgId != registered.OrgId
            || await Db.Organisations.FindAsync([registration.OrgId], cancellationToken) is not { } organisation)
        {
            return;
        }

        // The phone's live credential belongs to someone else: the verification itself would have answered phone_taken.
        if (await Db.Credentials.AnyAsync(c => c.OrgId == registration.OrgId && c.Phone == registration.Phone && c.RemovedAt == null, cancellationToken))
        {
            return;
        }

        Db.CompleteRegistration(registration, organisation, new RegisteredMember(registered.MemberId, registered.Status, registered.IsAdmin), time.GetUtcNow());
        // The event does not carry the member's access: the copy GET /api/me reads is asked for now, as the verification would have stored it.
        await Db.FetchMemberAccessAsync(permission, registered.OrgId, registered.MemberId, cancellationToken);
        metrics.RegistrationCompletedFromEvent();
    }
}
