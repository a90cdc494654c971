using Microsoft.EntityFrameworkCore;

namespace TeamPlatform.Permissions.Infrastructure;

/// <summary>
/// What a migration leaves for C# to compute, done as the last step of applying the migrations (EF Core's seeding), so the
/// service never answers over a half-built index or chain: the search index of members written before it existed, and
/// the audit chain of entries written before it existed.
/// </summary>
public static class Backfills
{
    public static DbContextOptionsBuilder BackfillAfterMigrations(this DbContextOptionsBuilder options) => options
        .UseSeeding((db, _) => RunAsync(db, CancellationToken.None).GetAwaiter().GetResult())
        .UseAsyncSeeding((db, _, cancellationToken) => RunAsync(db, cancellationToken));

    private static async Task RunAsync(DbContext db, CancellationToken cancellationToken)
    {
        await MemberSearchIndex.BackfillAsync(db, cancellationToken);
        await AuditChainBackfill.RunAsync((PermissionDbContext)db, cancellationToken);
    }
}
