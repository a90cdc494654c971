using Microsoft.EntityFrameworkCore;

namespace TeamPlatform.Permissions.Infrastructure;

/// <summary>
/// Chains the audit entries written before the chain existed (docs/decisions/0210-hash-chained-audit.md). The migration
/// that added the chain numbered each organisation's entries in the order they were written (revision, time, id),
/// from 2; this gives each organisation its genesis entry (1) and hashes its entries in that order, under the
/// organisation's lock, as every later entry is chained. An organisation whose chain has started is left alone, so
/// running it again, or on two replicas at once, changes nothing.
/// </summary>
public static class AuditChainBackfill
{
    private const int Batch = 1_000;

    public static async Task RunAsync(PermissionDbContext db, CancellationToken cancellationToken)
    {
        var unchained = await db.Organisations.AsNoTracking()
            .Where(o => o.AuditSequence == 0 && db.AuditEntries.Any(e => e.OrgId == o.Id))
            .Select(o => o.Id)
            .ToListAsync(cancellationToken);
        foreach (var orgId in unchained)
        {
            await ChainAsync(db, orgId, cancellationToken);
        }
    }

    private static async Task ChainAsync(PermissionDbContext db, Guid orgId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = (await db.Organisations.FromSql($"SELECT * FROM organisations WHERE id = {orgId} FOR UPDATE").ToListAsync(cancellationToken)).Single();
        if (organisation.AuditSequence != 0)
        {
            return;
        }

        var after = long.MinValue;
        while (true)
        {
            var entries = await db.AuditEntries.AsNoTracking()
                .Where(e => e.OrgId == orgId && e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(Batch)
                .ToListAsync(cancellationToken);
            if (entries.Count == 0)
            {
                break;
            }

            after = entries[^1].Sequence;
            foreach (var entry in entries)
            {
                // The first entry comes with the genesis entry, which is new: stored as any entry is.
                db.AuditEntries.AddRange(organisation.Audit(entry).Where(stored => !ReferenceEquals(stored, entry)));
            }

            var ids = entries.Select(e => e.Id).ToArray();
            var sequences = entries.Select(e => e.Sequence).ToArray();
            var previous = entries.Select(e => Convert.ToHexStringLower(e.PreviousHash)).ToArray();
            var hashes = entries.Select(e => Convert.ToHexStringLower(e.Hash)).ToArray();
            await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE audit_entries AS e
                SET sequence = c.sequence, previous_hash = decode(c.previous_hash, 'hex'), hash = decode(c.hash, 'hex')
                FROM unnest({ids}, {sequences}, {previous}, {hashes}) AS c(id, sequence, previous_hash, hash)
                WHERE e.id = c.id
                """,
                cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
