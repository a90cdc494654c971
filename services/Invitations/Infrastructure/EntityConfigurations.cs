using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeamPlatform.Invitations.Domain;

namespace TeamPlatform.Invitations.Infrastructure;

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> invitation)
    {
        invitation.ToTable("invitations");
        invitation.HasKey(i => i.Id);
        invitation.Property(i => i.Id).ValueGeneratedNever();
        invitation.Property(i => i.Phone).HasMaxLength(20);
        invitation.Property(i => i.Email).HasMaxLength(254);
        invitation.Property(i => i.Access).HasColumnType("jsonb");
        invitation.Property(i => i.InviterUsername).HasMaxLength(100);
        invitation.Property(i => i.TokenHash).HasMaxLength(32);
        invitation.Ignore(i => i.Events);
        invitation.Ignore(i => i.IsOpen);

        invitation.HasIndex(i => i.TokenHash).IsUnique();
        // One open invitation per phone and organisation; inviting again replaces it (decision 0301).
        invitation.HasIndex(i => new { i.OrgId, i.Phone })
            .IsUnique()
            .HasFilter("accepted_at IS NULL AND revoked_at IS NULL")
            .HasDatabaseName("ix_invitations_one_open_per_phone");
        invitation.HasIndex(i => new { i.OrgId, i.CreatedAt });
        // What the expiry sweep looks for.
        invitation.HasIndex(i => i.ExpiresAt)
            .HasFilter("accepted_at IS NULL AND revoked_at IS NULL AND NOT expiry_announced")
            .HasDatabaseName("ix_invitations_unannounced_expiry");
        invitation.HasIndex(i => i.AcceptedAt)
            .HasDatabaseName("ix_invitations_unfinished_acceptances")
            .HasFilter("accepted_at IS NOT NULL AND member_id IS NULL");
    }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> organisation)
    {
        organisation.ToTable("organisations");
        organisation.HasKey(o => o.Id);
        organisation.Property(o => o.Id).ValueGeneratedNever();
        organisation.Property(o => o.Slug).HasMaxLength(40);
        organisation.Property(o => o.Name).HasMaxLength(200);
        organisation.Property(o => o.Language).HasMaxLength(20);
        organisation.Property(o => o.ChatbotPhone).HasMaxLength(20);
    }
}

internal sealed class BulkInvitationConfiguration : IEntityTypeConfiguration<BulkInvitation>
{
    public void Configure(EntityTypeBuilder<BulkInvitation> bulk)
    {
        bulk.ToTable("bulk_invitations");
        bulk.HasKey(b => b.Id);
        bulk.Property(b => b.Id).ValueGeneratedNever();
        bulk.Property(b => b.IdempotencyKey).HasMaxLength(BulkInvitation.MaxIdempotencyKeyLength);
        bulk.Property(b => b.RequestHash).HasMaxLength(32);
        bulk.Property(b => b.Status)
            .HasConversion(status => BulkInvitationStatusNames.NameOf(status), name => BulkInvitationStatusNames.Parse(name))
            .HasMaxLength(20);
        bulk.HasMany(b => b.Rows).WithOne().HasForeignKey(r => r.BulkInvitationId).OnDelete(DeleteBehavior.Cascade);
        bulk.Navigation(b => b.Rows).HasField("_rows");
        // A retried upload finds its bulk invitation by the organisation's key (decision 0304).
        bulk.HasIndex(b => new { b.OrgId, b.IdempotencyKey, b.CreatedAt });
    }
}

internal sealed class BulkInvitationRowConfiguration : IEntityTypeConfiguration<BulkInvitationRow>
{
    public void Configure(EntityTypeBuilder<BulkInvitationRow> row)
    {
        row.ToTable("bulk_invitation_rows");
        row.HasKey(r => new { r.BulkInvitationId, r.Number });
        row.Property(r => r.Phone).HasMaxLength(BulkInvitationRow.MaxPhoneLength);
        row.Property(r => r.Preset).HasMaxLength(BulkInvitationRow.MaxPresetLength);
        row.Property(r => r.Outcome).HasMaxLength(40);
        row.Property(r => r.Code).HasMaxLength(60);
        row.Ignore(r => r.IsWaiting);
        // What the sender looks for, oldest upload first.
        row.HasIndex(r => new { r.OrgId, r.BulkInvitationId, r.Number })
            .HasFilter("processed_at IS NULL")
            .HasDatabaseName("ix_bulk_invitation_rows_waiting");
        // What the send rate counts: the organisation's invitations sent in the last second.
        row.HasIndex(r => new { r.OrgId, r.ProcessedAt })
            .HasFilter("invitation_id IS NOT NULL")
            .HasDatabaseName("ix_bulk_invitation_rows_sent");
    }
}
