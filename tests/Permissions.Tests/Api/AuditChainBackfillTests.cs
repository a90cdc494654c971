using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>Entries written before the audit chain existed, and the service's refusal to store an entry outside it (docs/decisions/0210-hash-chained-audit.md).</summary>
[Collection(nameof(PermissionCollection))]
public sealed class AuditChainBackfillTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task Entries_from_before_the_chain_get_a_genesis_entry_and_their_hashes_once_and_then_verify_intact()
    {
        var team = await Team.CreateAsync(_host);
        await team.MemberAsync(new { role = "manager" });
        var before = await (await team.Admin.GetAsync("/api/audit?pageSize=200")).Json();
        var count = before.GetProperty("total").GetInt32();

        // As the migration leaves an organisation: no genesis entry, entries numbered from 2 in the order written, no hashes.
        await _host.InDatabase(db => db.Database.ExecuteSqlAsync($"""
            DELETE FROM audit_entries WHERE org_id = {team.OrgId} AND action = 'genesis';
            UPDATE audit_entries SET hash = ''::bytea, previous_hash = ''::bytea WHERE org_id = {team.OrgId};
            UPDATE organisations SET audit_sequence = 0, audit_head = NULL WHERE id = {team.OrgId};
            """));
        Assert.False((await VerifyAsync(team)).GetProperty("intact").GetBoolean());

        await _host.InDatabase(async db =>
        {
            await AuditChainBackfill.RunAsync(db, CancellationToken.None);
            return 0;
        });
        var verification = await VerifyAsync(team);
        await _host.InDatabase(async db =>
        {
            await AuditChainBackfill.RunAsync(db, CancellationToken.None);
            return 0;
        });

        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        Assert.Equal(count, verification.GetProperty("entries").GetInt64());
        Assert.Equal(verification.GetProperty("head").ToString(), (await VerifyAsync(team)).GetProperty("head").ToString());
        var after = await (await team.Admin.GetAsync("/api/audit?pageSize=200")).Json();
        Assert.Equal(1, after.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "genesis").GetProperty("sequence").GetInt64());
        Assert.Equal(
            before.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("action").GetString() != "genesis")
                .Select(e => (e.GetProperty("id").GetGuid(), e.GetProperty("sequence").GetInt64())),
            after.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("action").GetString() != "genesis")
                .Select(e => (e.GetProperty("id").GetGuid(), e.GetProperty("sequence").GetInt64())));
    }

    [Fact]
    public async Task An_entry_that_skips_the_chain_is_not_stored_and_stored_entries_are_never_changed()
    {
        var team = await Team.CreateAsync(_host);

        var unchained = await Assert.ThrowsAsync<InvalidOperationException>(() => _host.InDatabase(async db =>
        {
            var admin = await db.Members.SingleAsync(m => m.Id == team.AdminId);
            db.AuditEntries.Add(AuditEntry.Of(AuditActions.AccessChanged, new AccessChange(admin, admin.State, admin.State, 1), null, DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        }));
        var rewritten = await Assert.ThrowsAsync<InvalidOperationException>(() => _host.InDatabase(async db =>
        {
            var entry = await db.AuditEntries.FirstAsync(e => e.OrgId == team.OrgId);
            db.AuditEntries.Remove(entry);
            return await db.SaveChangesAsync();
        }));

        Assert.Contains("chained", unchained.Message);
        Assert.Contains("never changed nor deleted", rewritten.Message);
        Assert.True((await VerifyAsync(team)).GetProperty("intact").GetBoolean());
    }

    private static async Task<JsonElement> VerifyAsync(Team team) => await (await team.Admin.GetAsync("/api/audit/verify")).Json();
}
