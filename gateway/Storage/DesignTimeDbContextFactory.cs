using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TeamPlatform.Gateway.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the gateway.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<GatewayDbContext>()
        .UseNpgsql("Host=localhost;Database=gateway")
        .UseSnakeCaseNamingConvention()
        .Options);
}
