using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;

namespace TeamPlatform.Permissions.Seeder;

public static class SeedCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly string[] FirstNames =
    [
        "amina", "brian", "chloe", "david", "esther", "femi", "grace", "hassan", "irene", "joseph",
        "kamau", "lydia", "moses", "njeri", "otieno", "precious", "queen", "ruth", "samuel", "tendai",
    ];

    private static readonly string[] LastNames =
    [
        "wanjiru", "okafor", "mensah", "banda", "nkosi", "achieng", "mwangi", "adeyemi", "phiri", "kariuki",
    ];

    private static PermissionDbContext Model(string connection) => new(new DbContextOptionsBuilder<PermissionDbContext>()
        .UseNpgsql(connection)
        .UseSnakeCaseNamingConvention()
        .Options);

    private static SeededMember Person(Plan plan) => plan.Members.Skip(plan.Members.Count / 2).First(m => m.Status == MemberStatus.Active);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("usage: --connection <npgsql connection string> [--members 100000] [--groups 1000] [--org <id>] [--json <file>] [--sign-ins]");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        await using (var db = Model(options.Connection))
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = new NpgsqlConnection(options.Connection);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var firstRevision = options.OrgId is { } existing ? await CurrentRevisionAsync(connection, existing) + 1 : 1;
        var plan = Plan.Create(options.Members, options.Groups, options.OrgId, firstRevision);
        await WriteOrganisationAsync(connection, plan, existing: options.OrgId is not null);
        await WriteGroupsAsync(connection, plan);
        await WriteMembersAsync(connection, plan);
        await transaction.CommitAsync();
        // Members written with COPY bypass the model that keeps the search index (decision 0208): index them now.
        await using (var db = Model(options.Connection))
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await MemberSearchIndex.BackfillAsync(db, CancellationToken.None);
        }

        // What an operator does after a bulk load: merge the indexes' pending entries and refresh the statistics
        // now, rather than leave it to autovacuum in the middle of whatever is measured next.
        foreach (var table in new[] { "members", "groups", "member_search_terms" })
        {
            await using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {table}", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }

        var audited = options.SignIns ? await WriteSignInsAsync(options.Connection, plan) : 0;

        var summary = new
        {
            orgId = plan.OrgId,
            revision = plan.FirstRevision + plan.Members.Count - 1,
            members = plan.Members.Count,
            groups = plan.Groups.Count,
            admins = plan.Members.Where(m => m.Access.IsAdmin).Select(m => m.Id).ToList(),
            staff = plan.Members.Where(m => m.Access.Preset == Preset.Staff && m.Status == MemberStatus.Active).Take(20).Select(m => m.Id).ToList(),
            custom = plan.Members.Where(m => m.Access.Preset == Preset.Custom && !m.Access.IsAdmin && m.Status == MemberStatus.Active).Take(20).Select(m => m.Id).ToList(),
            sampleGroups = plan.Groups.Take(20).Select(g => g.Id).ToList(),
            // A surname a tenth of the members share, and what an admin types to find one person (an active one:
            // the list leaves removed members out, and an empty answer measures nothing).
            searchSample = Person(plan).Username.Split('.')[1],
            personSample = string.Join('.', Person(plan).Username.Split('.')[1..]),
            auditEntries = audited,
            seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
        };
        var json = JsonSerializer.Serialize(summary, Indented);
        Console.WriteLine(json);
        if (options.JsonFile is not null)
        {
            await File.WriteAllTextAsync(options.JsonFile, json);
        }

        return 0;
    }

    /// <summary>
    /// One sign-in per active member, chained onto the organisation's audit as the service chains them (through
    /// <see cref="Organisation.Audit"/>), so that the audit export and its verification have a long chain to read.
    /// </summary>
    private static async Task<int> WriteSignInsAsync(string connection, Plan plan)
    {
        const int Batch = 5_000;
        await using var db = Model(connection);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await using var transaction = await db.Database.BeginTransactionAsync();
        var organisation = await db.Organisations
            .FromSql($"SELECT * FROM organisations WHERE id = {plan.OrgId} FOR UPDATE")
            .SingleAsync();
        var active = plan.Members.Where(m => m.Status == MemberStatus.Active).ToList();
        var written = 0;
        foreach (var chunk in active.Chunk(Batch))
        {
            var entries = chunk.SelectMany((member, i) => organisation.Audit(AuditEntry.OfFact(plan.OrgId, AuditActions.SignedIn, member.Id, member.Id,
                new { sessionId = Guid.CreateVersion7().ToString() }, organisation.Revision, plan.Now.AddMilliseconds(written + i - active.Count)))).ToList();
            db.AuditEntries.AddRange(entries);
            await db.SaveChangesAsync();
            foreach (var entry in entries)
            {
                db.Entry(entry).State = EntityState.Detached;
            }

            written += chunk.Length;
        }

        await transaction.CommitAsync();
        return written;
    }

    private static async Task<long> CurrentRevisionAsync(NpgsqlConnection connection, Guid orgId)
    {
        await using var command = new NpgsqlCommand("SELECT revision FROM organisations WHERE id = @id FOR UPDATE", connection);
        command.Parameters.AddWithValue("id", orgId);
        return await command.ExecuteScalarAsync() as long?
            ?? throw new InvalidOperationException($"Organisation {orgId} is not in this database: create it through the API first.");
    }

    /// <summary>A new organisation, or the counters and revision of an existing one (made through the API) grown by the seeded members.</summary>
    private static async Task WriteOrganisationAsync(NpgsqlConnection connection, Plan plan, bool existing)
    {
        await using var command = new NpgsqlCommand(
            existing
                ? """
                  UPDATE organisations SET revision = @revision, pending_members = pending_members + @pending,
                         active_members = active_members + @active, blocked_members = blocked_members + @blocked,
                         removed_members = removed_members + @removed
                  WHERE id = @id
                  """
                : """
                  INSERT INTO organisations (id, auto_admin_count, auto_promoted, revision, created_at, settings_at,
                                             pending_members, active_members, blocked_members, removed_members)
                  VALUES (@id, 2, 2, @revision, @now, @now, @pending, @active, @blocked, @removed)
                  """,
            connection);
        command.Parameters.AddWithValue("pending", plan.Members.Count(m => m.Status == MemberStatus.PendingApproval));
        command.Parameters.AddWithValue("active", plan.Members.Count(m => m.Status == MemberStatus.Active));
        command.Parameters.AddWithValue("blocked", plan.Members.Count(m => m.Status == MemberStatus.Blocked));
        command.Parameters.AddWithValue("removed", plan.Members.Count(m => m.Status == MemberStatus.Removed));
        command.Parameters.AddWithValue("id", plan.OrgId);
        command.Parameters.AddWithValue("revision", plan.FirstRevision + plan.Members.Count - 1);
        command.Parameters.AddWithValue("now", plan.Now);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WriteGroupsAsync(NpgsqlConnection connection, Plan plan)
    {
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY groups (id, org_id, name, name_key, created_at) FROM STDIN (FORMAT BINARY)");
        foreach (var group in plan.Groups)
        {
            await import.StartRowAsync();
            await import.WriteAsync(group.Id, NpgsqlDbType.Uuid);
            await import.WriteAsync(plan.OrgId, NpgsqlDbType.Uuid);
            await import.WriteAsync(group.Name, NpgsqlDbType.Varchar);
            await import.WriteAsync(Group.KeyOf(group.Name), NpgsqlDbType.Varchar);
            await import.WriteAsync(plan.Now, NpgsqlDbType.TimestampTz);
        }

        await import.CompleteAsync();
    }

    private static async Task WriteMembersAsync(NpgsqlConnection connection, Plan plan)
    {
        await using var import = await connection.BeginBinaryImportAsync(
            """
            COPY members (id, org_id, registration_id, username, phone, status, access, is_admin, role, group_ids, via,
                          invitation_id, invited_by, auto_promoted, revision, created_at, updated_at, profile_at)
            FROM STDIN (FORMAT BINARY)
            """);
        for (var i = 0; i < plan.Members.Count; i++)
        {
            var member = plan.Members[i];
            var joined = plan.Now.AddSeconds(i - plan.Members.Count);
            await import.StartRowAsync();
            await import.WriteAsync(member.Id, NpgsqlDbType.Uuid);
            await import.WriteAsync(plan.OrgId, NpgsqlDbType.Uuid);
            await import.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            await import.WriteAsync(member.Username, NpgsqlDbType.Varchar);
            await import.WriteAsync(member.Phone, NpgsqlDbType.Varchar);
            await import.WriteAsync(MemberStatusNames.NameOf(member.Status), NpgsqlDbType.Varchar);
            await import.WriteAsync(AccessStorage.Write(member.Access), NpgsqlDbType.Jsonb);
            await import.WriteAsync(member.Access.IsAdmin, NpgsqlDbType.Boolean);
            await import.WriteAsync(member.Access.Role, NpgsqlDbType.Varchar);
            await import.WriteAsync(member.Access.GroupIds.Order().ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
            await import.WriteAsync(member.Via, NpgsqlDbType.Varchar);
            await import.WriteNullAsync();
            await import.WriteNullAsync();
            await import.WriteAsync(plan.Members[i].Access.IsAdmin && plan.FirstRevision == 1, NpgsqlDbType.Boolean);
            await import.WriteAsync(plan.FirstRevision + i, NpgsqlDbType.Bigint);
            await import.WriteAsync(joined, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(joined, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(joined, NpgsqlDbType.TimestampTz);
        }

        await import.CompleteAsync();
    }

    /// <param name="SignIns">Whether to chain one sign-in per active member onto the audit (<c>--sign-ins</c>).</param>
    private sealed record Options(string Connection, int Members, int Groups, Guid? OrgId, string? JsonFile, bool SignIns)
    {
        public static Options? Parse(string[] args)
        {
            string? connection = Environment.GetEnvironmentVariable("ConnectionStrings__permissiondb");
            int members = 100_000, groups = 1_000;
            Guid? orgId = null;
            string? json = null;
            var signIns = args.Contains("--sign-ins");
            args = [.. args.Where(arg => arg != "--sign-ins")];
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                switch (args[i])
                {
                    case "--connection": connection = args[i + 1]; break;
                    case "--members" when int.TryParse(args[i + 1], out var m) && m >= 2: members = m; break;
                    case "--groups" when int.TryParse(args[i + 1], out var g) && g >= 1: groups = g; break;
                    case "--org" when Guid.TryParse(args[i + 1], out var org): orgId = org; break;
                    case "--json": json = args[i + 1]; break;
                    default: return null;
                }
            }

            return connection is null ? null : new Options(connection, members, groups, orgId, json, signIns);
        }
    }

    private sealed record SeededGroup(Guid Id, string Name);

    private sealed record SeededMember(Guid Id, string Username, string Phone, MemberStatus Status, Access Access, string Via);

    /// <summary>
    /// The organisation as a realistic team: two admins (the creator and the first registrant), 10 % managers,
    /// 45 % staff over one to three groups, 10 % staff over every group, 20 % custom sets over some groups,
    /// 8 % waiting for approval, 4 % blocked, 3 % removed.
    /// Seeded into an existing organisation, nobody is an automatic admin: it has its own.
    /// </summary>
    private sealed record Plan(Guid OrgId, long FirstRevision, DateTimeOffset Now, IReadOnlyList<SeededGroup> Groups, IReadOnlyList<SeededMember> Members)
    {
        public static Plan Create(int memberCount, int groupCount, Guid? orgId, long firstRevision)
        {
            var now = DateTimeOffset.UtcNow;
            var random = new Random(20260105);
            var groups = Enumerable.Range(0, groupCount).Select(i => new SeededGroup(Guid.CreateVersion7(), $"Group {i + 1:D4}")).ToList();
            // Distinct numbers in the Kenyan 71x mobile range, from a random offset so that runs rarely collide.
            var phoneBase = random.Next(0, 10_000_000 - memberCount);
            var members = new List<SeededMember>(memberCount);
            for (var i = 0; i < memberCount; i++)
            {
                var name = $"{FirstNames[i % FirstNames.Length]}.{LastNames[(i / FirstNames.Length) % LastNames.Length]}.{i}";
                var phone = $"+25471{phoneBase + i:D7}";
                var (status, access, via) = i < 2 && orgId is null
                    ? (MemberStatus.Active, Access.AutoAdmin, i == 0 ? RegistrationRoutes.OrganisationCreation : RegistrationRoutes.SelfRegistration)
                    : Pick(random.Next(100), groups, random);
                members.Add(new SeededMember(Guid.CreateVersion7(), name, phone, status, access, via));
            }

            return new Plan(orgId ?? Guid.CreateVersion7(), firstRevision, now, groups, members);
        }

        private static (MemberStatus, Access, string) Pick(int roll, List<SeededGroup> groups, Random random)
        {
            IEnumerable<Guid> Some(int count) => Enumerable.Range(0, count).Select(_ => groups[random.Next(groups.Count)].Id).Distinct();
            return roll switch
            {
                < 10 => (MemberStatus.Active, Access.Manager(), RegistrationRoutes.Invitation),
                < 55 => (MemberStatus.Active, Access.Staff(Some(1 + random.Next(3))), RegistrationRoutes.SelfRegistration),
                < 65 => (MemberStatus.Active, Access.Staff(null), RegistrationRoutes.Invitation),
                < 85 => (MemberStatus.Active, Access.CustomSet(new PermissionSet.Builder()
                    .Scope(Permission.MessageInbox, GroupGrant.ForGroups(Some(5)))
                    .Scope(Permission.Broadcasts, GroupGrant.ForGroups(Some(3)))
                    .Scope(Permission.People, GroupGrant.ForGroups(Some(5)))
                    .Level(Permission.Keywords, Level.View)
                    .Toggle(Permission.Measure, random.Next(2) == 0)
                    .Build()), RegistrationRoutes.Invitation),
                < 93 => (MemberStatus.PendingApproval, Access.NoAccess, RegistrationRoutes.SelfRegistration),
                < 97 => (MemberStatus.Blocked, Access.NoAccess, RegistrationRoutes.SelfRegistration),
                _ => (MemberStatus.Removed, Access.Staff(null), RegistrationRoutes.SelfRegistration),
            };
        }
    }
}
