using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>What an admin does moves permission's meters by exactly that.</summary>
[Collection(nameof(PermissionCollection))]
public sealed class MeterTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task A_committed_access_change_counts_once_and_a_refused_or_empty_one_not_at_all()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        var pending = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();
        using var changes = _host.Services.Collect<long>(PermissionMetrics.MeterName, "teamplatform.permissions.access.changes");

        var approved = await team.Admin.PutAsJsonAsync($"/api/members/{pending}/access", new { role = "staff" });
        var again = await team.Admin.PutAsJsonAsync($"/api/members/{pending}/access", new { role = "staff" });
        var lastAdmin = await team.Admin.PutAsJsonAsync($"/api/members/{team.AdminId}/access", new { role = "staff" });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, lastAdmin.StatusCode);
        Assert.Equal(1, changes.Sum(("action", AuditActions.AccessChanged)));
        Assert.Equal(1, changes.Sum());

        await team.Admin.DeleteAsync($"/api/members/{pending}");
        Assert.Equal(1, changes.Sum(("action", AuditActions.Removed)));
    }

    [Fact]
    public async Task Members_waiting_for_approval_are_counted_from_the_database_at_most_every_30_seconds()
    {
        var team = await Team.CreateAsync(_host, autoAdminCount: 1);
        using var waiting = _host.Services.Collect<long>(PermissionMetrics.MeterName, "teamplatform.permissions.approvals.pending");
        var before = await PendingAsync(waiting);

        var pending = (await team.RegisterAsync()).GetProperty("memberId").GetGuid();
        waiting.RecordObservableInstruments();
        await Task.Delay(200);
        waiting.RecordObservableInstruments();
        Assert.Equal(before, waiting.LastMeasurement!.Value); // the count is still the one taken a moment ago

        await _host.AdvanceAsync(PermissionMetrics.PendingApprovalsRefresh);
        Assert.Equal(before + 1, await PendingAsync(waiting, expected: before + 1));

        await team.Admin.PutAsJsonAsync($"/api/members/{pending}/access", new { role = "staff" });
        await _host.AdvanceAsync(PermissionMetrics.PendingApprovalsRefresh);
        Assert.Equal(before, await PendingAsync(waiting, expected: before));
    }

    /// <summary>Scrapes until the gauge shows a count (the first scrape after a refresh only asks for one), or <paramref name="expected"/>.</summary>
    private static Task<long> PendingAsync(MetricCollector<long> gauge, long? expected = null) => Eventually.Until(
        () =>
        {
            gauge.RecordObservableInstruments();
            return Task.FromResult(gauge.LastMeasurement?.Value ?? -1);
        },
        count => expected is null ? count >= 0 : count == expected,
        what: "the count of members waiting for approval");
}
