using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Messaging;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// Ends sessions: refresh tokens die at once (their OpenIddict authorizations and tokens are revoked in the
/// caller's transaction), and <see cref="MemberSessionsRevoked"/> goes out through the outbox so that every
/// gateway refuses the access tokens still in flight. The caller saves and commits.
/// </summary>
public sealed class SessionRevoker(
    IdentityDbContext db,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    TimeProvider time)
{
    /// <summary>Ends every session of the member: one revocation covering all their access tokens.</summary>
    public async Task EndAllAsync(Guid orgId, Guid memberId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var session in await ActiveSessions(memberId).ToListAsync(cancellationToken))
        {
            session.End(reason, now);
        }

        var subject = memberId.ToString();
        await authorizations.RevokeBySubjectAsync(subject, cancellationToken);
        await tokens.RevokeBySubjectAsync(subject, cancellationToken);
        Publish(SessionRevocation.Of(orgId, memberId, null, reason, now));
    }

    /// <summary>Ends every session of the member but <paramref name="keep"/>, each by its own revocation.</summary>
    public async Task EndOthersAsync(Guid memberId, Guid keep, string reason, CancellationToken cancellationToken)
    {
        foreach (var session in await ActiveSessions(memberId).Where(s => s.Id != keep).ToListAsync(cancellationToken))
        {
            await EndAsync(session, reason, cancellationToken);
        }
    }

    public async Task EndAsync(Session session, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!session.End(reason, now))
        {
            return;
        }

        if (await authorizations.FindByIdAsync(session.AuthorizationId, cancellationToken) is { } authorization)
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }

        await tokens.RevokeByAuthorizationIdAsync(session.AuthorizationId, cancellationToken);
        Publish(SessionRevocation.Of(session.OrgId, session.MemberId, session.Id, reason, now));
    }

    /// <summary>
    /// Ends the session if it is still active, saved and committed here: for OpenIddict's handlers, whose requests
    /// write nothing else of their own.
    /// </summary>
    public async Task EndCommittedAsync(Guid sessionId, string reason, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is not { IsActive: true })
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await EndAsync(session, reason, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private IQueryable<Session> ActiveSessions(Guid memberId) => db.Sessions.Where(s => s.MemberId == memberId && s.EndedAt == null);

    private void Publish(SessionRevocation revocation)
    {
        db.SessionRevocations.Add(revocation);
        db.AddOutboxEvent(new MemberSessionsRevoked(
            revocation.OrgId, revocation.MemberId, revocation.RevokedBefore, revocation.SessionId?.ToString(), revocation.Reason, revocation.RevokedBefore));
    }
}
