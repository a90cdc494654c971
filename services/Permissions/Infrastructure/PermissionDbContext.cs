using Microsoft.EntityFrameworkCore;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Infrastructure;

public sealed class PermissionDbContext(DbContextOptions<PermissionDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "permissiondb";

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<Member> Members => Set<Member>();

    public DbSet<Group> Groups => Set<Group>();

    public DbSet<ConversationVisibility> ConversationVisibilities => Set<ConversationVisibility>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<MemberSearchTerm> MemberSearchTerms => Set<MemberSearchTerm>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        MemberSearchIndex.KeepInStep(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        MemberSearchIndex.KeepInStep(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.HasPostgresExtension("btree_gin");
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PermissionDbContext).Assembly);
    }
}
