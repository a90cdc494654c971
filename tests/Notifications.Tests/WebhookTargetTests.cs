using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Notifications.Tests.Fakes;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>Outside Development an admin cannot point a webhook into TeamPlatform's own network.</summary>
[Collection(nameof(ProvidersCollection))]
public sealed class WebhookTargetTests(ProvidersFixture fixture)
{
    [Theory]
    [InlineData("http://hooks.example.org/teamplatform")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.20.0.4:8443/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00::5]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://permission/internal/members")]
    [InlineData("https://postgres.internal/hook")]
    [InlineData("https://api.svc.cluster.local/hook")]
    [InlineData("https://2130706433/hook")]
    public async Task Loopback_private_link_local_and_local_names_are_refused_and_nothing_is_stored(string url)
    {
        var (orgId, admin) = (Guid.NewGuid(), Guid.NewGuid());
        PermissionStub.Answer(fixture.Providers, orgId, admin, allowed: true, isAdmin: true);
        using var client = fixture.Host.ClientFor(orgId, admin);

        var response = await client.PostAsJsonAsync("/api/webhooks", new { url, eventTypes = new[] { "MemberRegistered" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("webhook_target_refused", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, await fixture.Host.InDatabase(db => db.WebhookEndpoints.CountAsync(e => e.OrgId == orgId)));
    }

    [Fact]
    public async Task A_public_https_target_is_accepted_and_a_change_to_a_private_one_refused()
    {
        var (orgId, admin) = (Guid.NewGuid(), Guid.NewGuid());
        PermissionStub.Answer(fixture.Providers, orgId, admin, allowed: true, isAdmin: true);
        using var client = fixture.Host.ClientFor(orgId, admin);

        var created = await client.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.org/teamplatform", eventTypes = new[] { "MemberRegistered" } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var changed = await client.PutAsJsonAsync($"/api/webhooks/{id}", new { url = "https://10.0.0.8/hook", eventTypes = new[] { "MemberRegistered" } });
        var kept = await client.GetFromJsonAsync<JsonElement>($"/api/webhooks/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Equal("https://hooks.example.org/teamplatform", kept.GetProperty("url").GetString());
    }
}
