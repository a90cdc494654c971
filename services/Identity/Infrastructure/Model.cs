using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeamPlatform.Identity.Domain;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>A code sent (or, for an unknown phone, pretended sent): what the hourly caps count. Kept an hour.</summary>
public sealed class OtpSend
{
    public long Id { get; set; }

    public string Phone { get; set; } = "";

    public string ClientIp { get; set; } = "";

    public DateTimeOffset SentAt { get; set; }
}

/// <summary>A key OpenIddict signs or encrypts tokens with, generated once and shared by every replica.</summary>
public sealed class ServerKey
{
    public string Id { get; set; } = "";

    /// <summary><c>signing</c> (RSA, published in the JWKS) or <c>encryption</c> (AES, for refresh tokens).</summary>
    public string Use { get; set; } = "";

    public byte[] Material { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public const string SlugIndex = "ux_organisations_slug";

    public void Configure(EntityTypeBuilder<Organisation> organisation)
    {
        organisation.HasKey(o => o.Id);
        organisation.Property(o => o.Slug).HasMaxLength(Slug.MaxLength);
        organisation.HasIndex(o => o.Slug).IsUnique().HasDatabaseName(SlugIndex);
        organisation.Property(o => o.Name).HasMaxLength(Organisation.MaxNameLength);
        organisation.ComplexProperty(o => o.Settings, settings =>
        {
            settings.Property(s => s.SelfRegistration).HasConversion<string>().HasMaxLength(20);
            settings.Property(s => s.ChatbotPhone).HasMaxLength(20);
            settings.Property(s => s.Language).HasMaxLength(20);
        });
        organisation.HasIndex(o => o.ProposalExpiresAt);
    }
}

internal sealed class RegistrationConfiguration : IEntityTypeConfiguration<Registration>
{
    public void Configure(EntityTypeBuilder<Registration> registration)
    {
        registration.HasKey(r => r.Id);
        registration.Property(r => r.Kind).HasConversion<string>().HasMaxLength(30);
        registration.Property(r => r.Username).HasMaxLength(Username.MaxLength);
        registration.Property(r => r.Phone).HasMaxLength(20);
        registration.Property(r => r.PasswordHash).HasMaxLength(200);
        registration.Property(r => r.InvitationToken).HasMaxLength(200);
        registration.Property(r => r.MemberStatus).HasMaxLength(30);
        registration.OwnsOne(r => r.Challenge, OtpChallengeColumns.Configure);
        registration.Ignore(r => r.Member);
        registration.Ignore(r => r.Route);
        registration.HasIndex(r => r.ExpiresAt);
    }
}

internal sealed class PasswordResetConfiguration : IEntityTypeConfiguration<PasswordReset>
{
    public void Configure(EntityTypeBuilder<PasswordReset> reset)
    {
        reset.HasKey(r => r.Id);
        reset.OwnsOne(r => r.Challenge, OtpChallengeColumns.Configure);
        reset.Ignore(r => r.ExpiresAt);
        reset.HasIndex(r => r.CreatedAt);
    }
}

internal static class OtpChallengeColumns
{
    public static void Configure<TOwner>(OwnedNavigationBuilder<TOwner, OtpChallenge> challenge) where TOwner : class
    {
        challenge.Property(c => c.Id).HasColumnName("challenge_id");
        challenge.Property(c => c.CodeHash).HasColumnName("challenge_code_hash").HasMaxLength(32);
        challenge.Property(c => c.SentAt).HasColumnName("challenge_sent_at");
        challenge.Property(c => c.ExpiresAt).HasColumnName("challenge_expires_at");
        challenge.Property(c => c.FailedAttempts).HasColumnName("challenge_failed_attempts");
        challenge.Property(c => c.IsLocked).HasColumnName("challenge_locked");
    }
}

internal sealed class CredentialConfiguration : IEntityTypeConfiguration<Credential>
{
    public const string PhoneIndex = "ux_credentials_live_phone";

    public void Configure(EntityTypeBuilder<Credential> credential)
    {
        credential.HasKey(c => c.MemberId);
        credential.Property(c => c.MemberId).ValueGeneratedNever();
        credential.Property(c => c.Phone).HasMaxLength(20);
        credential.Property(c => c.Username).HasMaxLength(Username.MaxLength);
        credential.Property(c => c.PasswordHash).HasMaxLength(200);
        // One live credential per phone and organisation; a removed member's frees the phone.
        credential.HasIndex(c => new { c.OrgId, c.Phone }).IsUnique().HasFilter("removed_at IS NULL").HasDatabaseName(PhoneIndex);
    }
}

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> session)
    {
        session.HasKey(s => s.Id);
        session.Property(s => s.Id).ValueGeneratedNever();
        session.Property(s => s.AuthorizationId).HasMaxLength(100);
        session.Property(s => s.Client).HasMaxLength(Session.MaxClientLength);
        session.Property(s => s.EndReason).HasMaxLength(30);
        session.HasIndex(s => new { s.MemberId, s.EndedAt });
    }
}

internal sealed class SessionRevocationConfiguration : IEntityTypeConfiguration<SessionRevocation>
{
    public void Configure(EntityTypeBuilder<SessionRevocation> revocation)
    {
        revocation.HasKey(r => r.Id);
        revocation.Property(r => r.Id).ValueGeneratedNever();
        revocation.Property(r => r.Reason).HasMaxLength(30);
        revocation.HasIndex(r => r.RevokedBefore);
    }
}

internal sealed class OtpSendConfiguration : IEntityTypeConfiguration<OtpSend>
{
    public void Configure(EntityTypeBuilder<OtpSend> send)
    {
        send.HasKey(s => s.Id);
        send.Property(s => s.Phone).HasMaxLength(20);
        send.Property(s => s.ClientIp).HasMaxLength(50);
        send.HasIndex(s => new { s.Phone, s.SentAt });
        send.HasIndex(s => new { s.ClientIp, s.SentAt });
    }
}

internal sealed class ServerKeyConfiguration : IEntityTypeConfiguration<ServerKey>
{
    public void Configure(EntityTypeBuilder<ServerKey> key)
    {
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasMaxLength(64);
        key.Property(k => k.Use).HasMaxLength(20);
    }
}
