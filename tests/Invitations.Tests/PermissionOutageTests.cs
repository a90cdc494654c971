using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>Without an answer from the permission service nothing is decided: 503 with Retry-After, never a guess, never a 500.</summary>
[Collection(nameof(InvitationCollection))]
public sealed class PermissionOutageTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    [Fact]
    public async Task While_permission_cannot_answer_nothing_is_invited_or_shown_and_afterwards_all_works()
    {
        var org = await Host.NewOrganisationAsync();
        var existing = await org.InviteAsync(TestPhones.New());
        Host.Permission.Down = true;
        HttpResponseMessage create, list, revoke;
        try
        {
            create = await Host.AdvancingClockUntil(() => org.Client.PostAsJsonAsync("/api/invitations", new { phone = TestPhones.New(), access = TestOrg.Staff }));
            list = await Host.AdvancingClockUntil(() => org.Client.GetAsync("/api/invitations"));
            revoke = await Host.AdvancingClockUntil(() => org.Client.DeleteAsync($"/api/invitations/{existing.Id()}"));
        }
        finally
        {
            // The fake is the whole host's: the collection's next tests must find permission up.
            Host.Permission.Down = false;
        }

        foreach (var response in new[] { create, list, revoke })
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "service_unavailable"), (response.StatusCode, await response.Code()));
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(1, await Host.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == org.OrgId)));
        Assert.Equal("pending", (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{existing.Id()}")).Str("status"));
        await org.InviteAsync(TestPhones.New());
    }

    [Fact]
    public async Task While_permission_hangs_the_caller_hears_service_unavailable_once_the_wait_is_over()
    {
        var org = await Host.NewOrganisationAsync();
        Host.Permission.Hangs = true;
        HttpResponseMessage create, list;
        try
        {
            create = await Host.AdvancingClockUntil(() => org.Client.PostAsJsonAsync("/api/invitations", new { phone = TestPhones.New(), access = TestOrg.Staff }));
            list = await Host.AdvancingClockUntil(() => org.Client.GetAsync("/api/invitations"));
        }
        finally
        {
            Host.Permission.Hangs = false;
        }

        foreach (var response in new[] { create, list })
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "service_unavailable"), (response.StatusCode, await response.Code()));
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(0, await Host.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == org.OrgId)));
    }
}
