using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;
using NpgsqlTypes;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Infrastructure;

/// <summary>
/// One row of the member search index: a member is found by <see cref="Term"/> (docs/decisions/0208). The rows of a
/// term are kept in username order (<see cref="SortKey"/>), so a page of a search reads the page and no more.
/// </summary>
public sealed class MemberSearchTerm
{
    public Guid OrgId { get; init; }

    public Guid MemberId { get; init; }

    public SearchTermKind Kind { get; init; }

    public string Term { get; init; } = "";

    /// <summary>The member's username folded (<see cref="MemberSearch.Fold"/>): the order of the results.</summary>
    public string SortKey { get; set; } = "";

    /// <summary>The member's status, so that a search counts its matches (removed members apart) from this index alone.</summary>
    public MemberStatus Status { get; set; }
}

/// <summary>
/// Keeps the search index in step with members: a member added, or whose username or phone changed, has its rows
/// written by the same <c>SaveChanges</c>, hence in the same transaction as the member row. A bulk load that writes
/// <c>members</c> without the model calls <see cref="BackfillAsync"/> afterwards.
/// </summary>
public static class MemberSearchIndex
{
    private const int BackfillBatch = 2_000;

    internal static void KeepInStep(ChangeTracker tracker)
    {
        var members = tracker.Entries<Member>()
            .Where(e => e.State == EntityState.Added
                || (e.State == EntityState.Modified
                    && (e.Property(m => m.Username).IsModified || e.Property(m => m.Phone).IsModified || e.Property(m => m.Status).IsModified)))
            .ToList();
        if (members.Count == 0)
        {
            return;
        }

        var tracked = tracker.Entries<MemberSearchTerm>()
            .ToDictionary(e => (e.Entity.MemberId, e.Entity.Kind, e.Entity.Term));
        foreach (var entry in members)
        {
            var member = entry.Entity;
            var now = Stored.Of(member.Username, member.Phone, member.Status);
            var before = entry.State == EntityState.Modified
                ? Stored.Of(entry.Property(m => m.Username).OriginalValue, entry.Property(m => m.Phone).OriginalValue, entry.Property(m => m.Status).OriginalValue)
                : now with { Terms = [] };

            foreach (var gone in before.Terms.Except(now.Terms))
            {
                Row(tracker, tracked, member, gone, before).State = EntityState.Deleted;
            }

            foreach (var term in now.Terms.Except(before.Terms))
            {
                if (tracked.TryGetValue((member.Id, term.Kind, term.Term), out var stored))
                {
                    // Written by an earlier save of this context, or deleted a moment ago above: the row is there.
                    (stored.Entity.SortKey, stored.Entity.Status) = (now.SortKey, now.Status);
                    stored.State = stored.State == EntityState.Added ? EntityState.Added : EntityState.Modified;
                    continue;
                }

                tracked[(member.Id, term.Kind, term.Term)] = tracker.Context.Add(now.RowOf(member, term));
            }

            if (now.SortKey != before.SortKey || now.Status != before.Status)
            {
                foreach (var kept in now.Terms.Intersect(before.Terms))
                {
                    var row = Row(tracker, tracked, member, kept, before).Entity;
                    (row.SortKey, row.Status) = (now.SortKey, now.Status);
                }
            }
        }
    }

    /// <summary>The tracked row for the term, or a row attached as it is stored.</summary>
    private static EntityEntry<MemberSearchTerm> Row(
        ChangeTracker tracker,
        Dictionary<(Guid, SearchTermKind, string), EntityEntry<MemberSearchTerm>> tracked,
        Member member,
        SearchTerm term,
        Stored stored)
    {
        if (tracked.TryGetValue((member.Id, term.Kind, term.Term), out var entry))
        {
            return entry;
        }

        entry = tracker.Context.Entry(stored.RowOf(member, term));
        entry.State = EntityState.Unchanged;
        tracked[(member.Id, term.Kind, term.Term)] = entry;
        return entry;
    }

    /// <summary>A member's rows as they are stored, or are to be.</summary>
    private sealed record Stored(HashSet<SearchTerm> Terms, string SortKey, MemberStatus Status)
    {
        public static Stored Of(string username, string phone, MemberStatus status) =>
            new(MemberSearch.TermsOf(username, phone).ToHashSet(), MemberSearch.Fold(username), status);

        public MemberSearchTerm RowOf(Member member, SearchTerm term) => new()
        {
            OrgId = member.OrgId,
            MemberId = member.Id,
            Kind = term.Kind,
            Term = term.Term,
            SortKey = SortKey,
            Status = Status,
        };
    }

    /// <summary>
    /// Indexes the members that have no rows yet: every member when the index is new, then none. Runs as the last step
    /// of applying the migrations (EF Core's seeding), so the service never answers a search over a partial index.
    /// </summary>
    public static async Task BackfillAsync(DbContext db, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            var after = Guid.Empty;
            while (true)
            {
                var batch = new List<(Guid Id, Guid OrgId, string Username, string Phone, string Status)>(BackfillBatch);
                await using (var unindexed = new NpgsqlCommand(
                    """
                    SELECT m.id, m.org_id, m.username, m.phone, m.status FROM members m
                    WHERE m.id > @after AND NOT EXISTS (SELECT 1 FROM member_search_terms t WHERE t.member_id = m.id)
                    ORDER BY m.id
                    LIMIT @batch
                    """,
                    connection))
                {
                    unindexed.Parameters.AddWithValue("after", after);
                    unindexed.Parameters.AddWithValue("batch", BackfillBatch);
                    await using var reader = await unindexed.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        batch.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
                    }
                }

                if (batch.Count == 0)
                {
                    return;
                }

                after = batch[^1].Id;
                await using var import = await connection.BeginBinaryImportAsync(
                    "COPY member_search_terms (member_id, kind, term, org_id, sort_key, status) FROM STDIN (FORMAT BINARY)", cancellationToken);
                foreach (var member in batch)
                {
                    var sortKey = MemberSearch.Fold(member.Username);
                    foreach (var term in MemberSearch.TermsOf(member.Username, member.Phone))
                    {
                        await import.StartRowAsync(cancellationToken);
                        await import.WriteAsync(member.Id, NpgsqlDbType.Uuid, cancellationToken);
                        await import.WriteAsync((short)term.Kind, NpgsqlDbType.Smallint, cancellationToken);
                        await import.WriteAsync(term.Term, NpgsqlDbType.Text, cancellationToken);
                        await import.WriteAsync(member.OrgId, NpgsqlDbType.Uuid, cancellationToken);
                        await import.WriteAsync(sortKey, NpgsqlDbType.Text, cancellationToken);
                        await import.WriteAsync(member.Status, NpgsqlDbType.Varchar, cancellationToken);
                    }
                }

                await import.CompleteAsync(cancellationToken);
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }
}
