using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TeamPlatform.Invitations.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<InvitationDbContext>
{
    public InvitationDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<InvitationDbContext>()
        .UseNpgsql("Host=localhost;Database=invitation")
        .UseSnakeCaseNamingConvention()
        .Options);
}
