using Npgsql;
using TeamPlatform.Contracts.V1;

namespace MembershipSubscriber;

/// <summary>What became of an event.</summary>
public enum Outcome
{
    /// <summary>The table changed.</summary>
    Applied,

    /// <summary>
    /// The table already holds this fact or a newer one about the member (a <c>revision</c> as high or higher), or the event
    /// is a removal of a member it never heard of: discarded.
    /// </summary>
    Stale,

    /// <summary>This <c>messageId</c> was processed before (a redelivery): nothing done.</summary>
    Duplicate,
}

/// <summary>
/// What one event says about one member at one <c>revision</c> of the organisation's access. Null fields are those the
/// event does not carry.
/// </summary>
public sealed record MemberChange(Guid OrgId, Guid MemberId, string? Username, string Status, string? Role, bool? IsAdmin, long Revision)
{
    public static MemberChange Registered(Guid orgId, Guid memberId, string username, string status, string role, bool isAdmin, long revision) =>
        new(orgId, memberId, username, status, role, isAdmin, revision);

    public static MemberChange AccessChanged(Guid orgId, Guid memberId, string status, string role, bool isAdmin, long revision) =>
        new(orgId, memberId, null, status, role, isAdmin, revision);

    public static MemberChange Removed(Guid orgId, Guid memberId, long revision) =>
        new(orgId, memberId, null, MemberStatuses.Removed, null, null, revision);
}

/// <summary>A row of the table, as <c>GET /members</c> answers it.</summary>
public sealed record MemberRow(Guid MemberId, string? Username, string Status, string Role, bool IsAdmin, long Revision);

/// <summary>
/// This subscriber's own copy of the members of every organisation: what the events said, applied once each and never
/// over a newer fact. Delivery is at least once and the order across event types is not guaranteed, so each event is
/// applied in one transaction that skips a <c>messageId</c> already processed, changes the member only when the event's
/// <c>revision</c> is newer than the row's, and records the <c>messageId</c>.
/// </summary>
public sealed class MemberTable(NpgsqlDataSource database)
{
    private const string Schema = """
        create table if not exists members (
            org_id uuid not null,
            member_id uuid not null,
            -- Null while only a MemberAccessChanged has arrived: its MemberRegistered, which names the member, may come later.
            username text,
            status text not null,
            role text not null,
            is_admin boolean not null,
            revision bigint not null,
            primary key (org_id, member_id)
        );
        create table if not exists processed_messages (
            message_id uuid primary key,
            -- Rows older than the broker could still redeliver (days) may be pruned by a job of your own.
            processed_at timestamptz not null default now()
        );
        """;

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Outcome> ApplyAsync(Guid messageId, MemberChange change, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // A redelivery still in flight waits here on the first delivery's row, and then finds it.
        if (await ExecuteAsync(connection, "insert into processed_messages (message_id) values ($1) on conflict do nothing", cancellationToken, messageId) == 0)
        {
            return Outcome.Duplicate;
        }

        var changed = change.Role is { } role
            ? await ExecuteAsync(connection, """
                insert into members (org_id, member_id, username, status, role, is_admin, revision)
                values ($1, $2, $3, $4, $5, $6, $7)
                on conflict (org_id, member_id) do update
                set status = excluded.status, role = excluded.role, is_admin = excluded.is_admin, revision = excluded.revision
                where members.revision < excluded.revision
                """, cancellationToken, change.OrgId, change.MemberId, change.Username, change.Status, role, change.IsAdmin, change.Revision)
            // MemberRemoved carries no role: it only ends a member we know. The MemberAccessChanged of the same removal
            // (same revision) carries the whole state, so a member first heard of through a removal still gets its row.
            : await ExecuteAsync(connection, """
                update members set status = $3, revision = $4
                where org_id = $1 and member_id = $2 and revision < $4
                """, cancellationToken, change.OrgId, change.MemberId, change.Status, change.Revision);

        if (change.Username is { } username)
        {
            // The registration arrived after a newer access change: its status is stale, its username is not.
            changed += await ExecuteAsync(connection,
                "update members set username = $3 where org_id = $1 and member_id = $2 and username is null",
                cancellationToken, change.OrgId, change.MemberId, username);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed > 0 ? Outcome.Applied : Outcome.Stale;
    }

    public async Task<IReadOnlyList<MemberRow>> ListAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "select member_id, username, status, role, is_admin, revision from members where org_id = $1 order by member_id");
        command.Parameters.Add(new NpgsqlParameter { Value = orgId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<MemberRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MemberRow(
                reader.GetGuid(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetBoolean(4),
                reader.GetInt64(5)));
        }

        return rows;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
