using MassTransit;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Messaging;

namespace TeamPlatform.Identity.Features.Revocations;

/// <summary>
/// Keeps the member's access copy that <c>GET /api/me</c> reads (an older revision arriving late changes nothing), and
/// a member blocked (role <c>none</c>) or removed loses every session at once.
/// </summary>
public sealed class MemberAccessChangedConsumer(IdentityDbContext db, SessionRevoker sessions, TimeProvider time)
    : InboxConsumer<MemberAccessChanged, IdentityDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<MemberAccessChanged> context)
    {
        var change = context.Message;
        await KeepCopyAsync(change, context.CancellationToken);
        await (change.Status switch
        {
            MemberStatuses.Blocked => sessions.EndAllAsync(change.OrgId, change.MemberId, SessionEndReasons.Blocked, context.CancellationToken),
            MemberStatuses.Removed => MemberRemovedConsumer.RemoveAsync(Db, sessions, time, change.OrgId, change.MemberId, context.CancellationToken),
            _ => Task.CompletedTask,
        });
    }

    private Task KeepCopyAsync(MemberAccessChanged change, CancellationToken cancellationToken)
    {
        if (change.GroupIds is not { } groupIds || change.Permissions is not { } permissions)
        {
            // Published before the event carried the member's access: the copy cannot follow it, so the next read asks permission.
            return Db.ForgetMemberAccessAsync(change.MemberId, change.Revision, cancellationToken);
        }

        return Db.StoreMemberAccessAsync(
            new MemberAccess
            {
                MemberId = change.MemberId,
                OrgId = change.OrgId,
                Status = change.Status,
                Role = change.Role,
                IsAdmin = change.IsAdmin,
                GroupIds = [.. groupIds],
                GroupAdminOf = [.. change.GroupAdminOf ?? []],
                Permissions = permissions,
                Revision = change.Revision,
            },
            cancellationToken);
    }
}

/// <summary>A removed member's sessions end and their phone is free to register again as a new member.</summary>
public sealed class MemberRemovedConsumer(IdentityDbContext db, SessionRevoker sessions, TimeProvider time)
    : InboxConsumer<MemberRemoved, IdentityDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<MemberRemoved> context) =>
        RemoveAsync(Db, sessions, time, context.Message.OrgId, context.Message.MemberId, context.CancellationToken);

    /// <summary>
    /// Both events may report one removal, on two queues at once: the credential's row lock makes the second
    /// wait, find the credential removed, and do nothing.
    /// </summary>
    internal static async Task RemoveAsync(
        IdentityDbContext db, SessionRevoker sessions, TimeProvider time, Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var credential = await db.LockCredentialAsync(orgId, memberId, cancellationToken);
        if (credential is not null && !credential.Remove(time.GetUtcNow()))
        {
            return;
        }

        await sessions.EndAllAsync(orgId, memberId, SessionEndReasons.Removed, cancellationToken);
    }
}
