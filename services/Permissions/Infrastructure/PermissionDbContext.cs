using Microsoft.EntityFrameworkCore;
using TeamPlatform.Messaging;

namespace TeamPlatform.Permissions.Infrastructure;

public sealed class PermissionDbContext(DbContextOptions<PermissionDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "permissiondb";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PermissionDbContext).Assembly);
    }
}
