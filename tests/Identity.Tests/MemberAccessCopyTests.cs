using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.Testing;
using Xunit;
using PermissionDomain = TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Identity.Tests;

/// <summary><c>GET /api/me</c> reads identity's copy of the member's access, kept by permission's events (decision 0011).</summary>
[Collection(nameof(IdentityCollection))]
public sealed class MemberAccessCopyTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task A_change_made_in_permission_shows_on_me_once_its_event_arrives_without_asking_permission()
    {
        var org = await Host.CreateOrganisationAsync();
        var client = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        var callsBefore = Host.Team.EffectivePermissionsCalls;

        await PublishAsync(org, org.Creator.Id, PermissionDomain.Access.Manager(), revision: 50);
        var me = await MeUntil(client, m => m.GetProperty("role").GetString() == "manager");

        Assert.False(me.GetProperty("isAdmin").GetBoolean());
        Assert.False(me.GetProperty("permissions").GetProperty("admin_settings").GetBoolean());
        Assert.Equal("create", me.GetProperty("permissions").GetProperty("surveys").GetString());
        Assert.Equal(callsBefore, Host.Team.EffectivePermissionsCalls);
    }

    [Fact]
    public async Task An_older_or_equal_revision_arriving_late_does_not_overwrite_a_newer_one()
    {
        var org = await Host.CreateOrganisationAsync();
        var client = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        await PublishAsync(org, org.Creator.Id, PermissionDomain.Access.Manager(), revision: 60);
        await MeUntil(client, m => m.GetProperty("role").GetString() == "manager");

        var older = await PublishAsync(org, org.Creator.Id, PermissionDomain.Access.Staff(null), revision: 55);
        var equal = await PublishAsync(org, org.Creator.Id, PermissionDomain.Access.Staff(null), revision: 60);
        await Eventually.Until(
            () => Host.InDatabase(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == older || m.MessageId == equal)),
            count => count == 2,
            what: "both late events to be consumed");

        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("manager", me.GetProperty("role").GetString());
        Assert.Equal(60, await Host.InDatabase(db => db.MemberAccess.Where(a => a.MemberId == org.Creator.Id).Select(a => a.Revision).SingleAsync()));
    }

    [Fact]
    public async Task A_group_deletion_that_strips_a_member_shows_on_me()
    {
        var org = await Host.CreateOrganisationAsync();
        var client = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        var (youth, leaders) = (Guid.NewGuid(), Guid.NewGuid());
        await PublishAsync(org, org.Creator.Id, PermissionDomain.Access.Staff([youth, leaders]), revision: 70);
        await MeUntil(client, m => m.GetProperty("groupIds").GetArrayLength() == 2);

        // What permission publishes for each member a group deletion strips: same status, the group gone from the access.
        await PublishAsync(org, org.Creator.Id, PermissionDomain.Access.Staff([youth, leaders]).WithoutGroup(youth), revision: 71);
        var me = await MeUntil(client, m => m.GetProperty("groupIds").GetArrayLength() == 1);

        Assert.Equal(leaders, me.GetProperty("groupIds")[0].GetGuid());
        Assert.Equal([leaders], me.GetProperty("permissions").GetProperty("message_inbox").GetProperty("groupIds").EnumerateArray().Select(g => g.GetGuid()));
    }

    [Fact]
    public async Task The_groups_a_member_administers_show_on_me_and_end_with_the_appointment()
    {
        var org = await Host.CreateOrganisationAsync();
        var client = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        var youth = Guid.NewGuid();
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("groupAdminOf").GetArrayLength());

        await PublishAsync(org, org.Creator.Id, PermissionDomain.Access.Staff([youth]).WithGroupAdminOf([youth]), revision: 80);
        var appointed = await MeUntil(client, m => m.GetProperty("groupAdminOf").GetArrayLength() == 1);
        await PublishAsync(org, org.Creator.Id, PermissionDomain.Access.Staff([youth]), revision: 81);
        await MeUntil(client, m => m.GetProperty("groupAdminOf").GetArrayLength() == 0);

        Assert.Equal(youth, appointed.GetProperty("groupAdminOf")[0].GetGuid());
    }

    [Fact]
    public async Task A_member_without_a_copy_is_served_by_permission_once_and_then_from_the_copy()
    {
        var org = await Host.CreateOrganisationAsync();
        var client = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        await Host.InDatabase(db => db.MemberAccess.Where(a => a.MemberId == org.Creator.Id).ExecuteDeleteAsync());
        var callsBefore = Host.Team.EffectivePermissionsCalls;

        var first = await client.GetFromJsonAsync<JsonElement>("/api/me");
        var second = await client.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal(callsBefore + 1, Host.Team.EffectivePermissionsCalls);
        Assert.Equal(("admin", "admin"), (first.GetProperty("role").GetString(), second.GetProperty("role").GetString()));
        Assert.True(second.GetProperty("permissions").GetProperty("admin_settings").GetBoolean());
        Assert.Equal("admin", await Host.InDatabase(db => db.MemberAccess.Where(a => a.MemberId == org.Creator.Id).Select(a => a.Role).SingleAsync()));
    }

    [Fact]
    public async Task Verification_stores_the_copy_from_permissions_answer()
    {
        var org = await Host.CreateOrganisationAsync();
        var promoted = await Host.JoinAsync(org.Slug);
        var waiting = await Host.JoinAsync(org.Slug);

        var copies = await Host.InDatabase(db => db.MemberAccess.AsNoTracking()
            .Where(a => a.OrgId == org.Id).ToDictionaryAsync(a => a.MemberId));

        Assert.Equal(3, copies.Count);
        Assert.Equal(("active", "admin", true), (copies[org.Creator.Id].Status, copies[org.Creator.Id].Role, copies[org.Creator.Id].IsAdmin));
        Assert.Equal(("active", true), (copies[promoted.Id].Status, copies[promoted.Id].IsAdmin));
        Assert.Equal(("pending_approval", "none"), (copies[waiting.Id].Status, copies[waiting.Id].Role));
        Assert.Equal(13, copies[org.Creator.Id].Permissions.Count);
        Assert.False(copies[waiting.Id].Permissions["admin_settings"].GetBoolean());
    }

    [Fact]
    public async Task A_release_with_another_catalogue_empties_the_copy_and_the_same_one_keeps_it()
    {
        var org = await Host.CreateOrganisationAsync();
        Task<int> CopiesAsync() => Host.InDatabase(db => db.MemberAccess.CountAsync(a => a.OrgId == org.Id));
        Task<string[]> FingerprintsAsync() => Host.InDatabase(db => db.Set<MemberAccessCatalogue>().Select(c => c.Fingerprint).ToArrayAsync());
        Assert.Equal([PermissionCatalogue.Fingerprint], await FingerprintsAsync());

        await Host.InDatabase(async db => { await MemberAccessCatalogueCheck.ResetUnlessCurrentAsync(db, PermissionCatalogue.Fingerprint, default); return 0; });
        Assert.Equal(1, await CopiesAsync());

        await Host.InDatabase(async db => { await MemberAccessCatalogueCheck.ResetUnlessCurrentAsync(db, "another-release", default); return 0; });
        Assert.Equal(0, await CopiesAsync());
        Assert.Equal(["another-release"], await FingerprintsAsync());

        await Host.InDatabase(async db => { await MemberAccessCatalogueCheck.ResetUnlessCurrentAsync(db, PermissionCatalogue.Fingerprint, default); return 0; });
        Assert.Equal([PermissionCatalogue.Fingerprint], await FingerprintsAsync());
        var me = await Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator)).GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(1, await CopiesAsync());
    }

    /// <summary>Publishes <c>MemberAccessChanged</c> as permission does for an active member holding <paramref name="access"/>; answers its message id.</summary>
    private async Task<Guid> PublishAsync(TestOrg org, Guid memberId, PermissionDomain.Access access, long revision)
    {
        var messageId = Guid.NewGuid();
        await Host.Bus.Publish(
            new MemberAccessChanged(
                org.Id, memberId, MemberStatuses.Active, MemberStatuses.Active, access.IsAdmin, access.Role, revision, org.Creator.Id, DateTimeOffset.UtcNow,
                access.StaffGroups?.Order().ToList() ?? [],
                PermissionDomain.PermissionsJson.Write(access.Effective, everyName: true),
                GroupAdminOf: access.GroupAdminOf.Order().ToList()),
            messageId);
        return messageId;
    }

    private static Task<JsonElement> MeUntil(HttpClient client, Func<JsonElement, bool> shows) =>
        Eventually.Until(() => client.GetFromJsonAsync<JsonElement>("/api/me"), shows, what: "GET /api/me to show the change");
}
