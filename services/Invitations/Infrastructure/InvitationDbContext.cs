using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Messaging;

namespace TeamPlatform.Invitations.Infrastructure;

public sealed class InvitationDbContext(DbContextOptions<InvitationDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string ConnectionName = "invitationdb";

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<BulkInvitation> BulkInvitations => Set<BulkInvitation>();

    public DbSet<BulkInvitationRow> BulkInvitationRows => Set<BulkInvitationRow>();

    /// <summary>The Data Protection key ring, shared by every replica so each can decrypt what another encrypted.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Locks one invitation of the organisation for the current transaction.</summary>
    public async Task<Invitation?> LockAsync(Guid orgId, Guid id, CancellationToken cancellationToken) =>
        (await Invitations
            .FromSql($"SELECT * FROM invitations WHERE id = {id} AND org_id = {orgId} FOR UPDATE")
            .ToListAsync(cancellationToken))
        .SingleOrDefault();

    /// <summary>Locks the invitation a token belongs to; acceptances of one token queue up here.</summary>
    public async Task<Invitation?> LockByTokenAsync(byte[] tokenHash, CancellationToken cancellationToken) =>
        (await Invitations
            .FromSql($"SELECT * FROM invitations WHERE token_hash = {tokenHash} FOR UPDATE")
            .ToListAsync(cancellationToken))
        .SingleOrDefault();

    /// <summary>Serialises invitations of one phone in one organisation until the current transaction ends.</summary>
    public Task LockPhoneAsync(Guid orgId, string phone, CancellationToken cancellationToken) =>
        Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({$"invitation:{orgId}:{phone}"}, 0))", cancellationToken);

    /// <summary>Serialises uploads under one <c>Idempotency-Key</c> of an organisation until the current transaction ends.</summary>
    public Task LockIdempotencyKeyAsync(Guid orgId, string key, CancellationToken cancellationToken) =>
        Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({$"bulk-invitation:{orgId}:{key}"}, 0))", cancellationToken);

    /// <summary>
    /// Takes the organisation's bulk sending for the current transaction, unless another replica has it: one sender
    /// per organisation at a time keeps the send rate whatever the number of replicas.
    /// </summary>
    public async Task<bool> TryLockBulkSendingAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var command = Database.GetDbConnection().CreateCommand();
        command.Transaction = Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The bulk sending lock is held by a transaction.");
        command.CommandText = "SELECT pg_try_advisory_xact_lock(hashtextextended(@key, 0))";
        var key = command.CreateParameter();
        key.ParameterName = "key";
        key.Value = $"bulk-sending:{orgId}";
        command.Parameters.Add(key);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>The open invitation of a phone in an organisation, if there is one, locked.</summary>
    public async Task<Invitation?> OpenInvitationAsync(Guid orgId, string phone, CancellationToken cancellationToken) =>
        (await Invitations
            .FromSql($"SELECT * FROM invitations WHERE org_id = {orgId} AND phone = {phone} AND accepted_at IS NULL AND revoked_at IS NULL FOR UPDATE")
            .ToListAsync(cancellationToken))
        .SingleOrDefault();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // What happened to each invitation leaves in the same transaction as the change itself.
        foreach (var invitation in ChangeTracker.Entries<Invitation>().Select(e => e.Entity).ToList())
        {
            foreach (var change in invitation.Events)
            {
                this.AddOutboxEvent(IntegrationEvents.From(invitation, change));
            }

            invitation.ClearEvents();
        }

        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(InvitationDbContext).Assembly);
    }
}
