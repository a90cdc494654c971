using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>What identity publishes reaches the permission service's copy of organisations and profiles, once.</summary>
[Collection(nameof(PermissionCollection))]
public sealed class ConsumerTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task Organisation_settings_change_the_auto_admin_count_and_older_settings_are_ignored()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 2);
        var now = _host.Time.GetUtcNow();
        var settings = new OrganisationSettings(4, 30, "approval", null, "en", false);

        await _host.Bus.Publish(new OrganisationSettingsChanged(team.OrgId, "choir", "Choir", settings, now.AddMinutes(1)));
        await Eventually.Until(() => AutoAdminCount(team.OrgId), count => count == 4, what: "autoAdminCount 4");
        await _host.Bus.Publish(new OrganisationSettingsChanged(team.OrgId, "choir", "Choir", settings with { AutoAdminCount = 1 }, now.AddMinutes(-1)));
        await _host.Bus.Publish(new OrganisationCreated(team.OrgId, "choir", "Choir", settings with { AutoAdminCount = 1 }, now.AddMinutes(-2)));
        var newOrg = Guid.NewGuid();
        await _host.Bus.Publish(new OrganisationCreated(newOrg, "band", "Band", settings with { AutoAdminCount = 3 }, now));

        await Eventually.Until(() => AutoAdminCount(newOrg), count => count == 3, what: "the new organisation");
        Assert.Equal(4, await AutoAdminCount(team.OrgId));
    }

    [Fact]
    public async Task Profile_changes_update_the_team_list()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var phone = TestPhones.New();

        await _host.Bus.Publish(new MemberProfileChanged(team.OrgId, member, "Amina W.", phone, _host.Time.GetUtcNow().AddSeconds(1)));

        var view = await Eventually.Until(() => team.MemberViewAsync(member), m => m.GetProperty("username").GetString() == "Amina W.", what: "the new username");
        Assert.Equal(phone, view.GetProperty("phone").GetString());
    }

    private Task<int> AutoAdminCount(Guid orgId) =>
        _host.InDatabase(db => db.Organisations.Where(o => o.Id == orgId).Select(o => o.AutoAdminCount).SingleOrDefaultAsync());
}
