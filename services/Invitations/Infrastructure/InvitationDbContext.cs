using Microsoft.EntityFrameworkCore;
using TeamPlatform.Messaging;

namespace TeamPlatform.Invitations.Infrastructure;

public sealed class InvitationDbContext(DbContextOptions<InvitationDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "invitationdb";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(InvitationDbContext).Assembly);
    }
}
