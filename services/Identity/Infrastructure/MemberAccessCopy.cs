using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeamPlatform.Internal;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// A member's access as the permission service last told it, for <c>GET /api/me</c> (decision 0011): written at
/// verification and by <c>MemberAccessChanged</c>; the newer revision wins, whatever the order of arrival.
/// </summary>
public sealed class MemberAccess
{
    public Guid MemberId { get; init; }

    public Guid OrgId { get; init; }

    public string Status { get; init; } = "";

    public string Role { get; init; } = "";

    public bool IsAdmin { get; init; }

    /// <summary>The staff preset's groups; empty for the other presets.</summary>
    public Guid[] GroupIds { get; init; } = [];

    /// <summary>The groups the member administers; empty for most.</summary>
    public Guid[] GroupAdminOf { get; init; } = [];

    /// <summary>Every catalogue name with its scope, level or toggle, as permission wrote it.</summary>
    public IReadOnlyDictionary<string, JsonElement> Permissions { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The organisation's access revision this state is as of.</summary>
    public long Revision { get; init; }
}

/// <summary>The catalogue fingerprint the stored copy was written under (one row).</summary>
public sealed class MemberAccessCatalogue
{
    public string Fingerprint { get; init; } = "";
}

internal sealed class MemberAccessConfiguration : IEntityTypeConfiguration<MemberAccess>
{
    public void Configure(EntityTypeBuilder<MemberAccess> access)
    {
        access.ToTable("member_access");
        access.HasKey(a => a.MemberId);
        access.Property(a => a.MemberId).ValueGeneratedNever();
        access.Property(a => a.Status).HasMaxLength(30);
        access.Property(a => a.Role).HasMaxLength(30);
        access.Property(a => a.Permissions).HasColumnType("jsonb").HasConversion(
            permissions => JsonSerializer.Serialize(permissions, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json, JsonSerializerOptions.Web)!,
            new ValueComparer<IReadOnlyDictionary<string, JsonElement>>(
                (left, right) => JsonSerializer.Serialize(left, JsonSerializerOptions.Web) == JsonSerializer.Serialize(right, JsonSerializerOptions.Web),
                permissions => JsonSerializer.Serialize(permissions, JsonSerializerOptions.Web).GetHashCode(StringComparison.Ordinal),
                permissions => permissions));
    }
}

internal sealed class MemberAccessCatalogueConfiguration : IEntityTypeConfiguration<MemberAccessCatalogue>
{
    public void Configure(EntityTypeBuilder<MemberAccessCatalogue> catalogue)
    {
        catalogue.ToTable("member_access_catalogue");
        catalogue.HasKey(c => c.Fingerprint);
        catalogue.Property(c => c.Fingerprint).HasMaxLength(64);
    }
}

/// <summary>Writes of the copy: every one goes through here so that an older revision never overwrites a newer one.</summary>
public static class MemberAccessCopy
{
    /// <summary>Stores <paramref name="access"/> unless the copy already holds that revision or a newer one (in the caller's transaction, if any).</summary>
    public static Task StoreMemberAccessAsync(this IdentityDbContext db, MemberAccess access, CancellationToken cancellationToken)
    {
        var permissions = JsonSerializer.Serialize(access.Permissions, JsonSerializerOptions.Web);
        return db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO member_access (member_id, org_id, status, role, is_admin, group_ids, group_admin_of, permissions, revision)
            VALUES ({access.MemberId}, {access.OrgId}, {access.Status}, {access.Role}, {access.IsAdmin}, {access.GroupIds}, {access.GroupAdminOf},
                    {permissions}::jsonb, {access.Revision})
            ON CONFLICT (member_id) DO UPDATE
            SET org_id = excluded.org_id, status = excluded.status, role = excluded.role, is_admin = excluded.is_admin,
                group_ids = excluded.group_ids, group_admin_of = excluded.group_admin_of, permissions = excluded.permissions,
                revision = excluded.revision
            WHERE member_access.revision < excluded.revision
            """,
            cancellationToken);
    }

    /// <summary>
    /// Asks permission for the member's access and keeps the answer: for a member who has no copy (verified before identity
    /// kept one, since a release that changed the catalogue, or completed from an event that does not carry the access).
    /// Null when permission does not know the member.
    /// </summary>
    public static async Task<MemberAccess?> FetchMemberAccessAsync(
        this IdentityDbContext db, PermissionClient permission, Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var answer = await permission.GetEffectivePermissionsAsync(orgId, memberId, cancellationToken);
        if (answer is null)
        {
            return null;
        }

        var access = new MemberAccess
        {
            MemberId = answer.MemberId,
            OrgId = orgId,
            Status = answer.Status,
            Role = answer.Role,
            IsAdmin = answer.IsAdmin,
            GroupIds = [.. answer.GroupIds],
            GroupAdminOf = [.. answer.GroupAdminOf ?? []],
            Permissions = answer.Permissions,
            Revision = answer.Revision,
        };
        await db.StoreMemberAccessAsync(access, cancellationToken);
        return access;
    }

    /// <summary>Forgets the member's copy if it is older than <paramref name="revision"/>: their next <c>GET /api/me</c> asks permission.</summary>
    public static Task ForgetMemberAccessAsync(this IdentityDbContext db, Guid memberId, long revision, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"DELETE FROM member_access WHERE member_id = {memberId} AND revision < {revision}", cancellationToken);
}

/// <summary>
/// Empties the copy when this release's catalogue fingerprint is not the one the copy was written under, before the
/// service answers or consumes: a release that changes the catalogue changes every member's map with no event.
/// Replicas starting together do the same and agree.
/// </summary>
internal sealed class MemberAccessCatalogueCheck(IServiceScopeFactory scopes) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        await ResetUnlessCurrentAsync(db, PermissionCatalogue.Fingerprint, cancellationToken);
    }

    internal static async Task ResetUnlessCurrentAsync(IdentityDbContext db, string fingerprint, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM member_access WHERE NOT EXISTS (SELECT 1 FROM member_access_catalogue WHERE fingerprint = {fingerprint})",
            cancellationToken);
        await db.Database.ExecuteSqlAsync($"DELETE FROM member_access_catalogue WHERE fingerprint <> {fingerprint}", cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO member_access_catalogue (fingerprint) VALUES ({fingerprint}) ON CONFLICT DO NOTHING", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
