using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TeamPlatform.Console.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ConsoleDbContext>
{
    public ConsoleDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<ConsoleDbContext>()
        .UseNpgsql("Host=localhost;Database=console")
        .UseSnakeCaseNamingConvention()
        .Options);
}
