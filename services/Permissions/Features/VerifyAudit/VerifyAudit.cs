using System.Data;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Features.VerifyAudit;

/// <summary>Where the chain first fails: the entry's place and id (null when the entry is missing), and why.</summary>
public sealed record AuditBreak(long Sequence, Guid? Id, string Reason);

/// <summary>The last entry as the organisation's row keeps it: what an operator may record elsewhere to compare later.</summary>
public sealed record AuditHeadView(long Sequence, string? Hash);

/// <summary><c>intact</c>, how many entries were checked, the head, and where the chain first breaks (null when intact).</summary>
public sealed record AuditVerification(bool Intact, long Entries, AuditHeadView Head, AuditBreak? BrokenAt);

/// <summary>
/// <c>GET /api/audit/verify</c> — recomputes the organisation's audit chain in order (docs/permissions.md#audit-chain),
/// reading the entries as they stream, and holds its end against the head kept on the organisation's row: a changed,
/// removed, inserted or reordered entry is found, and so is a cut-off tail.
/// </summary>
public static class VerifyAuditEndpoint
{
    public static async Task<Results<Ok<AuditVerification>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionDbContext db,
        CancellationToken cancellationToken)
    {
        if (await db.TeamManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotTeamManager);
        }

        // One snapshot for the head and the entries: a change committed meanwhile is in neither.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == actor.OrgId, cancellationToken);
        var head = new AuditHeadView(organisation.AuditSequence, organisation.AuditHead is { } hash ? Convert.ToHexStringLower(hash) : null);

        long checkedEntries = 0;
        var previousSequence = 0L;
        var previousHash = AuditChain.Origin;
        Guid? previousId = null;
        var entries = db.AuditEntries.AsNoTracking().Where(e => e.OrgId == actor.OrgId).OrderBy(e => e.Sequence).ThenBy(e => e.Id);
        await foreach (var entry in entries.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            checkedEntries++;
            var reason = entry.Sequence > organisation.AuditSequence
                ? $"it comes after the last entry the organisation records ({organisation.AuditSequence})"
                : AuditChain.Break(entry, previousSequence, previousHash);
            if (reason is not null)
            {
                return TypedResults.Ok(new AuditVerification(false, checkedEntries, head, new AuditBreak(entry.Sequence, entry.Id, reason)));
            }

            (previousSequence, previousHash, previousId) = (entry.Sequence, entry.Hash, entry.Id);
        }

        if (previousSequence < organisation.AuditSequence)
        {
            return TypedResults.Ok(new AuditVerification(false, checkedEntries, head,
                new AuditBreak(previousSequence + 1, null, $"entries {previousSequence + 1} to {organisation.AuditSequence} are missing")));
        }

        if (organisation.AuditHead is { } kept && !kept.AsSpan().SequenceEqual(previousHash))
        {
            return TypedResults.Ok(new AuditVerification(false, checkedEntries, head,
                new AuditBreak(previousSequence, previousId, "the last entry's hash is not the head the organisation records")));
        }

        return TypedResults.Ok(new AuditVerification(true, checkedEntries, head, null));
    }
}
