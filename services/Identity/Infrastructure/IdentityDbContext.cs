using Microsoft.EntityFrameworkCore;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Messaging;

namespace TeamPlatform.Identity.Infrastructure;

public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "identitydb";

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<Registration> Registrations => Set<Registration>();

    public DbSet<Credential> Credentials => Set<Credential>();

    public DbSet<PasswordReset> PasswordResets => Set<PasswordReset>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<SessionRevocation> SessionRevocations => Set<SessionRevocation>();

    public DbSet<OtpSend> OtpSends => Set<OtpSend>();

    public DbSet<ServerKey> ServerKeys => Set<ServerKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseOpenIddict();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IdentityDbContext).Assembly);
    }
}
