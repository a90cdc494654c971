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
    }
}
