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
        EnsureAuditAppendOnly();
        MemberSearchIndex.KeepInStep(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        EnsureAuditAppendOnly();
        MemberSearchIndex.KeepInStep(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// The audit is appended to, never rewritten, and every entry is chained (<see cref="Organisation.Audit"/>) before it
    /// is saved: an entry added without its organisation's lock and chain is a defect, stopped here rather than stored
    /// as a break of the chain.
    /// </summary>
    private void EnsureAuditAppendOnly()
    {
        foreach (var entry in ChangeTracker.Entries<AuditEntry>())
        {
            switch (entry.State)
            {
                case EntityState.Added when !entry.Entity.IsChained:
                    throw new InvalidOperationException($"An audit entry ('{entry.Entity.Action}') must be chained by Organisation.Audit under the organisation's lock.");
                case EntityState.Modified or EntityState.Deleted:
                    throw new InvalidOperationException("Audit entries are never changed nor deleted.");
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.HasPostgresExtension("btree_gin");
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PermissionDbContext).Assembly);
    }
}
