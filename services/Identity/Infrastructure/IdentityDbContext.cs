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

    public DbSet<MemberAccess> MemberAccess => Set<MemberAccess>();

    /// <summary>Locks a registration for the current transaction; a verification and a resend of one code queue up here.</summary>
    public Task<Registration?> LockRegistrationAsync(Guid id, CancellationToken cancellationToken) =>
        Registrations
            .FromSql($"SELECT * FROM registrations WHERE id = {id} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Locks a password reset for the current transaction; the attempts on one code queue up here.</summary>
    public Task<PasswordReset?> LockPasswordResetAsync(Guid id, CancellationToken cancellationToken) =>
        PasswordResets
            .FromSql($"SELECT * FROM password_resets WHERE id = {id} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Locks a member's credential for the current transaction; wrong-password counts of one member queue up here.</summary>
    public Task<Credential?> LockCredentialAsync(Guid memberId, CancellationToken cancellationToken) =>
        Credentials
            .FromSql($"SELECT * FROM credentials WHERE member_id = {memberId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Locks a member's credential in one organisation for the current transaction, if it is there.</summary>
    public Task<Credential?> LockCredentialAsync(Guid orgId, Guid memberId, CancellationToken cancellationToken) =>
        Credentials
            .FromSql($"SELECT * FROM credentials WHERE member_id = {memberId} AND org_id = {orgId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseOpenIddict();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IdentityDbContext).Assembly);
    }
}
