using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>Two replicas on one database and one virtual host, each with its own snapshot and its own queue.</summary>
public sealed class ReplicaFixture : IAsyncLifetime
{
    public PermissionHost First { get; private set; } = null!;

    public PermissionHost Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        First = await PermissionHost.StartAsync();
        Second = await First.StartReplicaAsync();
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}

[CollectionDefinition(nameof(ReplicaCollection))]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaFixture>;

[Collection(nameof(ReplicaCollection))]
public sealed class ReplicaTests(ReplicaFixture fixture)
{
    private readonly PermissionHost _first = fixture.First;
    private readonly PermissionHost _second = fixture.Second;

    [Fact]
    public async Task A_change_made_through_one_replica_reaches_the_other_through_its_own_queue()
    {
        var team = await Team.CreateAsync(_first);
        var member = await team.MemberAsync(new { role = "staff" });
        using var onSecond = _second.ClientFor(team.OrgId, member);
        Assert.False((await onSecond.CheckAsync(new { permission = "surveys" })).GetProperty("allowed").GetBoolean());

        var change = await (await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager" })).Json();
        var revision = change.GetProperty("revision").GetInt64();

        var seen = await Eventually.Until(
            () => onSecond.CheckAsync(new { permission = "surveys" }),
            answer => answer.GetProperty("allowed").GetBoolean(),
            what: "the other replica to hear the change");
        Assert.Equal(revision, seen.GetProperty("revision").GetInt64());

        // And the other way round: a change on the second replica reaches the first.
        using var adminOnSecond = _second.ClientFor(team.OrgId, team.AdminId);
        await adminOnSecond.PutAsJsonAsync($"/api/members/{member}/access", new { role = "none" });
        using var onFirst = _first.ClientFor(team.OrgId, member);
        await Eventually.Until(
            () => onFirst.CheckAsync(new { permission = "surveys" }),
            answer => answer.GetProperty("reason").GetString() == "inactive",
            what: "the first replica to hear the block");
    }

    [Fact]
    public async Task With_minRevision_the_other_replica_answers_the_new_state_at_once()
    {
        var team = await Team.CreateAsync(_first);
        var member = await team.MemberAsync(new { role = "staff" });
        using var onSecond = _second.ClientFor(team.OrgId, member);
        await onSecond.CheckAsync(new { permission = "measure" });

        var change = await (await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager" })).Json();
        var revision = change.GetProperty("revision").GetInt64();
        var answer = await onSecond.CheckAsync(new { permission = "measure", minRevision = revision });

        Assert.True(answer.GetProperty("allowed").GetBoolean());
        Assert.True(answer.GetProperty("revision").GetInt64() >= revision);
    }

    [Fact]
    public async Task A_replica_that_missed_a_change_is_stale_until_a_check_names_a_newer_revision()
    {
        var team = await Team.CreateAsync(_first);
        var member = await team.MemberAsync(new { role = "staff" });
        var group = await team.GroupAsync();
        using var onSecond = _second.ClientFor(team.OrgId, member);
        var before = await onSecond.CheckAsync(new { permission = "people", groupIds = new[] { group } });

        // A change committed without any event reaching the replicas: only minRevision can tell them.
        var revision = await _first.InDatabase(async db =>
        {
            var organisation = await db.Organisations.SingleAsync(o => o.Id == team.OrgId);
            var admin = await db.Members.SingleAsync(m => m.Id == team.AdminId);
            var target = await db.Members.SingleAsync(m => m.Id == member);
            var document = JsonSerializer.Deserialize<AccessDocument>("""{"role": "manager"}""", JsonSerializerOptions.Web)!;
            Assert.Null(organisation.ChangeAccess(admin, target, document, lastingAdmins: 1, DateTimeOffset.UtcNow, out var change));
            await db.SaveChangesAsync();
            return change.Revision;
        });
        var stale = await onSecond.CheckAsync(new { permission = "people", groupIds = new[] { group } });
        var fresh = await onSecond.CheckAsync(new { permission = "people", groupIds = new[] { group }, minRevision = revision });

        Assert.Equal("not_granted", before.GetProperty("reason").GetString());
        Assert.Equal("not_granted", stale.GetProperty("reason").GetString());
        Assert.Equal(revision - 1, stale.GetProperty("revision").GetInt64());
        Assert.Equal("granted", fresh.GetProperty("reason").GetString());
        Assert.Equal(revision, fresh.GetProperty("revision").GetInt64());
    }
}
