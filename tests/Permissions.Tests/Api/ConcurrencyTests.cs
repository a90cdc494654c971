using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>The invariants that count admins, under real concurrent requests (docs/product.md#invariants).</summary>
[Collection(nameof(PermissionCollection))]
public sealed class ConcurrencyTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public async Task Twenty_simultaneous_verifications_in_a_new_organisation_give_exactly_autoAdminCount_admins(int autoAdminCount)
    {
        // The organisation exists once its creator has verified; then twenty people verify at the same instant.
        var team = await Team.CreateAsync(_host, autoAdminCount);
        var orgId = team.OrgId;
        var clients = Enumerable.Range(0, 20).Select(_ => _host.InternalClient("identity")).ToList();
        using var start = new SemaphoreSlim(0);

        var verifications = clients.Select(async client =>
        {
            await start.WaitAsync();
            return await client.PostAsJsonAsync("/internal/members", Registration(orgId, "registration", autoAdminCount));
        }).ToList();
        start.Release(20);
        var responses = await Task.WhenAll(verifications);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Json()));
        Assert.Equal(autoAdminCount - 1, bodies.Count(b => b.GetProperty("isAdmin").GetBoolean()));
        Assert.Equal(21 - autoAdminCount, bodies.Count(b => b.GetProperty("status").GetString() == "pending_approval"));
        Assert.Equal(Enumerable.Range(2, 20).Select(r => (long)r), bodies.Select(b => b.GetProperty("revision").GetInt64()).Order());
        var admins = await _host.InDatabase(db => db.Members.CountAsync(m => m.OrgId == orgId && m.IsAdmin));
        Assert.Equal(autoAdminCount, admins);
    }

    [Fact]
    public async Task Two_admins_demoting_each_other_at_the_same_instant_leave_exactly_one_admin()
    {
        for (var round = 0; round < 5; round++)
        {
            var team = await Team.CreateAsync(_host);
            var second = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();
            using var start = new SemaphoreSlim(0);
            var first = team.Admin;
            var other = team.As(second);

            var demotions = new[]
            {
                Demote(first, second, start),
                Demote(other, team.AdminId, start),
            };
            start.Release(2);
            var responses = await Task.WhenAll(demotions);

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            // The loser is no longer an admin when its turn comes, so it may not touch an admin: escalation (or
            // forbidden, having no admin_settings of its own). Either way nothing of it was applied.
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Forbidden);
            var admins = await _host.InDatabase(db => db.Members.CountAsync(m => m.OrgId == team.OrgId && m.IsAdmin && m.Status == MemberStatus.Active));
            Assert.Equal(1, admins);
        }
    }

    [Fact]
    public async Task Two_admins_stepping_down_at_the_same_instant_leave_exactly_one_admin()
    {
        var team = await Team.CreateAsync(_host);
        var second = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();
        using var start = new SemaphoreSlim(0);

        var demotions = new[] { Demote(team.Admin, team.AdminId, start), Demote(team.As(second), second, start) };
        start.Release(2);
        var responses = await Task.WhenAll(demotions);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal("last_admin", await responses.Single(r => r.StatusCode != HttpStatusCode.OK).Problem(HttpStatusCode.Conflict));
        Assert.Equal(1, await _host.InDatabase(db => db.Members.CountAsync(m => m.OrgId == team.OrgId && m.IsAdmin)));
    }

    [Fact]
    public async Task Blocking_and_removing_two_admins_at_once_leave_exactly_one_admin()
    {
        var team = await Team.CreateAsync(_host);
        var second = await team.MemberAsync(new { role = "admin" });
        var third = await team.MemberAsync(new { role = "manager" });
        using var start = new SemaphoreSlim(0);

        var block = Task.Run(async () =>
        {
            await start.WaitAsync();
            return await team.As(third).PutAsJsonAsync($"/api/members/{second}/access", new { role = "none" });
        });
        var removeFirst = Task.Run(async () =>
        {
            await start.WaitAsync();
            return await team.As(second).DeleteAsync($"/api/members/{team.AdminId}");
        });
        var removeSecond = Task.Run(async () =>
        {
            await start.WaitAsync();
            return await team.Admin.DeleteAsync($"/api/members/{second}");
        });
        start.Release(3);
        await Task.WhenAll(block, removeFirst, removeSecond);

        Assert.Equal(1, await _host.InDatabase(db => db.Members.CountAsync(m => m.OrgId == team.OrgId && m.IsAdmin && m.Status == MemberStatus.Active)));
    }

    private static async Task<HttpResponseMessage> Demote(HttpClient client, Guid member, SemaphoreSlim start)
    {
        await start.WaitAsync();
        return await client.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager" });
    }

    private static object Registration(Guid orgId, string via, int autoAdminCount) => new
    {
        registrationId = Guid.NewGuid(),
        orgId,
        username = $"member-{Guid.NewGuid():N}"[..16],
        phone = TestPhones.New(),
        via,
        autoAdminCount,
    };
}
