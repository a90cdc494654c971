using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TeamPlatform.Permissions.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PermissionDbContext>
{
    public PermissionDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PermissionDbContext>()
            .UseNpgsql("Host=localhost;Database=permission")
            .UseSnakeCaseNamingConvention();
        options.BackfillAfterMigrations();
        return new PermissionDbContext(options.Options);
    }
}
