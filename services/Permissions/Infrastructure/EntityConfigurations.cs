using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Infrastructure;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> organisation)
    {
        organisation.ToTable("organisations");
        organisation.HasKey(o => o.Id);
        organisation.Property(o => o.Id).ValueGeneratedNever();
    }
}

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> member)
    {
        member.ToTable("members");
        member.HasKey(m => m.Id);
        member.Property(m => m.Id).ValueGeneratedNever();
        member.Property(m => m.Username).HasMaxLength(Member.MaxUsernameLength);
        member.Property(m => m.Phone).HasMaxLength(20);
        member.Property(m => m.Status).HasConversion(StatusConverter).HasMaxLength(20);
        member.Property(m => m.Access).HasConversion(AccessStorage.Converter, AccessStorage.Comparer).HasColumnType("jsonb");
        member.Property(m => m.Role).HasMaxLength(10);
        member.Property(m => m.Via).HasMaxLength(30);
        member.Property(m => m.LapseStatus).HasConversion(NullableStatusConverter).HasMaxLength(20);
        member.Property(m => m.LapseAccess).HasConversion(AccessStorage.Converter!, AccessStorage.Comparer).HasColumnType("jsonb");
        member.Ignore(m => m.State);
        member.Ignore(m => m.IsActiveAdmin);
        member.Ignore(m => m.Lapse);
        member.Ignore(m => m.IsLastingAdmin);

        member.HasIndex(m => m.RegistrationId).IsUnique();
        // A phone belongs to one living member per organisation; removed members free it (docs/product.md#member).
        member.HasIndex(m => new { m.OrgId, m.Phone }).IsUnique().HasFilter("status <> 'removed'");
        member.HasIndex(m => new { m.OrgId, m.CreatedAt, m.Id });
        member.HasIndex(m => new { m.OrgId, m.Status });
        member.HasIndex(m => new { m.OrgId, m.Revision });
        member.HasIndex(m => m.GroupIds).HasMethod("gin");
        // What the sweeper looks for: time-bound access, few rows among many.
        member.HasIndex(m => m.AccessExpiresAt).HasFilter("access_expires_at IS NOT NULL");
    }

    internal static readonly ValueConverter<MemberStatus, string> StatusConverter = new(
        status => MemberStatusNames.NameOf(status),
        name => MemberStatusNames.Parse(name));

    private static readonly ValueConverter<MemberStatus?, string?> NullableStatusConverter = new(
        status => status == null ? null : MemberStatusNames.NameOf(status.Value),
        name => name == null ? null : MemberStatusNames.Parse(name));
}

internal sealed class MemberSearchTermConfiguration : IEntityTypeConfiguration<MemberSearchTerm>
{
    public void Configure(EntityTypeBuilder<MemberSearchTerm> term)
    {
        term.ToTable("member_search_terms");
        // Led by the member: a member's rows are found, replaced and checked ("has this member this term too?") together.
        term.HasKey(t => new { t.MemberId, t.Kind, t.Term });
        // Byte order ("C"): equality and order do not depend on the database's locale, and the order is the index's.
        term.Property(t => t.Term).UseCollation("C");
        term.Property(t => t.SortKey).UseCollation("C");
        term.Property(t => t.Status).HasConversion(MemberConfiguration.StatusConverter).HasMaxLength(20);
        // A term's members in username order: a page of a search is one range of this index, and its capped count reads
        // only the index (the status rides along) (docs/decisions/0208).
        term.HasIndex(t => new { t.OrgId, t.Kind, t.Term, t.SortKey, t.MemberId }, "ix_member_search_terms_lookup")
            .HasDatabaseName("ix_member_search_terms_lookup")
            .IncludeProperties(t => t.Status);
        term.HasOne<Member>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> group)
    {
        group.ToTable("groups");
        group.HasKey(g => g.Id);
        group.Property(g => g.Id).ValueGeneratedNever();
        group.Property(g => g.Name).HasMaxLength(Group.MaxNameLength);
        group.Property(g => g.NameKey).HasMaxLength(Group.MaxNameLength);
        group.HasIndex(g => new { g.OrgId, g.NameKey }).IsUnique();
    }
}

internal sealed class ConversationVisibilityConfiguration : IEntityTypeConfiguration<ConversationVisibility>
{
    public void Configure(EntityTypeBuilder<ConversationVisibility> visibility)
    {
        visibility.ToTable("conversation_visibility");
        visibility.HasKey(v => new { v.OrgId, v.ConversationId });
        visibility.Property(v => v.ConversationId).HasMaxLength(ConversationVisibility.MaxConversationIdLength);
        visibility.Property(v => v.Mode).HasConversion(ModeConverter).HasMaxLength(10);
        visibility.HasIndex(v => new { v.OrgId, v.Revision });
    }

    private static readonly ValueConverter<VisibilityMode?, string?> ModeConverter = new(
        mode => mode == null ? null : mode == VisibilityMode.Allow ? "allow" : "deny",
        name => name == null ? null : name == "allow" ? VisibilityMode.Allow : VisibilityMode.Deny);
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("audit_entries");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.Id).ValueGeneratedNever();
        entry.Property(e => e.Action).HasMaxLength(40);
        entry.Property(e => e.ConversationId).HasMaxLength(ConversationVisibility.MaxConversationIdLength);
        entry.Property(e => e.Before).HasColumnType("jsonb");
        entry.Property(e => e.After).HasColumnType("jsonb");
        entry.HasIndex(e => new { e.OrgId, e.Revision });
        entry.HasIndex(e => new { e.OrgId, e.MemberId, e.Revision });
        entry.HasIndex(e => e.GroupsTouched).HasMethod("gin");
        // One entry per place in the chain: two writers that somehow skipped the organisation's lock fail, not fork it.
        entry.HasIndex(e => new { e.OrgId, e.Sequence }).IsUnique();
    }
}

/// <summary>A member's access is stored as its access document (docs/permissions.md#access), which reads back to the same access.</summary>
public static class AccessStorage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static readonly ValueConverter<Access, string> Converter = new(access => Write(access), json => Read(json));

    internal static readonly ValueComparer<Access> Comparer = new((a, b) => a!.Equals(b), a => a.GetHashCode(), a => a);

    public static string Write(Access access) => JsonSerializer.Serialize(AccessDocument.From(access), Json);

    public static Access Read(string json) =>
        JsonSerializer.Deserialize<AccessDocument>(json, Json)!.Resolve(Access.NoAccess, out var access) is { } refusal
            ? throw new InvalidOperationException($"A stored access document no longer reads: {refusal.Detail}")
            : access;
}
