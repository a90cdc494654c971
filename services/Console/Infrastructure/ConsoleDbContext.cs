using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Console.Infrastructure.Sessions;

namespace TeamPlatform.Console.Infrastructure;

/// <summary>
/// What the console keeps, so that it survives restarts and runs as several instances: the members' sessions (their
/// tokens, encrypted), the sign-ins in progress and the Data Protection key ring that encrypts them and the cookies.
/// </summary>
public sealed class ConsoleDbContext(DbContextOptions<ConsoleDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string ConnectionName = "consoledb";

    public DbSet<MemberSession> Sessions => Set<MemberSession>();

    public DbSet<PendingSignIn> PendingSignIns => Set<PendingSignIn>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Locks one session row until the transaction ends: its refresh token is used once, by one request.</summary>
    public async Task<MemberSession?> LockSessionAsync(Guid id, CancellationToken cancellationToken) =>
        (await Sessions.FromSql($"SELECT * FROM sessions WHERE id = {id} FOR UPDATE").ToListAsync(cancellationToken)).SingleOrDefault();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MemberSession>(session =>
        {
            session.ToTable("sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.OrgSlug).HasMaxLength(40);
            session.HasIndex(s => s.TicketHash).IsUnique().HasFilter("ticket_hash IS NOT NULL");
        });
        modelBuilder.Entity<PendingSignIn>(pending =>
        {
            pending.ToTable("pending_sign_ins");
            pending.HasKey(p => p.Id);
            pending.Property(p => p.OrgSlug).HasMaxLength(40);
            pending.Property(p => p.Phone).HasMaxLength(20);
            pending.Property(p => p.Purpose).HasConversion<string>().HasMaxLength(20);
        });
    }
}
