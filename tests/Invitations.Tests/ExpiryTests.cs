using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Invitations.Features.ExpirySweep;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>Expiry after the organisation's lifetime, renewal, and the announcement of expiries, on the fake clock.</summary>
[Collection(nameof(InvitationCollection))]
public sealed class ExpiryTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    [Fact]
    public async Task After_thirty_days_an_invitation_is_expired_and_its_link_dead()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);
        var token = invitation.Token();

        await Host.AdvanceAsync(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.Equal("pending", (await Get(org, invitation)).Str("status"));
        await Host.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal("expired", (await Get(org, invitation)).Str("status"));
        Assert.Equal(JsonValueKind.Null, (await Get(org, invitation)).GetProperty("link").ValueKind);
        var expired = await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations?status=expired");
        Assert.Equal(invitation.Id(), Assert.Single(expired.GetProperty("items").EnumerateArray()).Id());
        Assert.Equal(0, (await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations?status=pending")).GetProperty("total").GetInt32());

        var copy = await org.Client.GetAsync($"/api/invitations/{invitation.Id()}/link");
        Assert.Equal((HttpStatusCode.Conflict, "invitation_expired"), (copy.StatusCode, await copy.Code()));
        var resend = await org.Client.PostAsync($"/api/invitations/{invitation.Id()}/resend", null);
        Assert.Equal((HttpStatusCode.Conflict, "invitation_expired"), (resend.StatusCode, await resend.Code()));
        var register = await Host.ValidateAsync(org.OrgId, token, phone);
        Assert.Equal((HttpStatusCode.Gone, "invitation_expired"), (register.StatusCode, await register.Code()));
        var accept = await Host.AcceptAsync(org.OrgId, token, phone);
        Assert.Equal((HttpStatusCode.Gone, "invitation_expired"), (accept.StatusCode, await accept.Code()));
        Assert.Equal("expired", (await (await Host.PreviewAsync(token)).Content.ReadFromJsonAsync<JsonElement>()).Str("status"));
    }

    [Fact]
    public async Task Renewing_an_expired_invitation_gives_thirty_more_days_from_now_and_a_new_link_and_the_old_one_dies()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);
        await Host.AdvanceAsync(TimeSpan.FromDays(45));

        var response = await org.Client.PostAsync($"/api/invitations/{invitation.Id()}/renew", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var renewed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((invitation.Id(), "pending"), (renewed.Id(), renewed.Str("status")));
        Assert.Equal(Host.Time.GetUtcNow().AddDays(30), renewed.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.NotEqual(invitation.Str("link"), renewed.Str("link"));
        Assert.Equal(renewed.Str("link"), (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}/link")).Str("link"));

        // The old link is dead wherever it is used; the new one works.
        Assert.Equal(HttpStatusCode.NotFound, (await Host.PreviewAsync(invitation.Token())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.ValidateAsync(org.OrgId, invitation.Token(), phone)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.AcceptAsync(org.OrgId, invitation.Token(), phone)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.ValidateAsync(org.OrgId, renewed.Token(), phone)).StatusCode);

        var delivered = (await Host.Bus.WaitFor<SendInvitation>(d => d.InvitationId == invitation.Id(), count: 2)).Select(d => d.Link).ToHashSet();
        Assert.Equal(new HashSet<string> { invitation.Str("link"), renewed.Str("link") }, delivered);
        var renewal = Assert.Single(await Host.Bus.WaitFor<InvitationRenewed>(e => e.InvitationId == invitation.Id(), count: 1));
        Assert.Equal((org.Admin.Id, Host.Time.GetUtcNow().AddDays(30)), (renewal.RenewedBy, renewal.ExpiresAt));

        await Host.AdvanceAsync(TimeSpan.FromDays(29));
        Assert.Equal("pending", (await Get(org, invitation)).Str("status"));
        await Host.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal("expired", (await Get(org, invitation)).Str("status"));
    }

    [Fact]
    public async Task Only_an_expired_invitation_can_be_renewed()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var pending = await org.InviteAsync(phone);
        var accepted = await org.InviteAsync(TestPhones.New());
        await Host.AcceptAsync(org.OrgId, accepted.Token(), accepted.Str("phone"));

        var renewPending = await org.Client.PostAsync($"/api/invitations/{pending.Id()}/renew", null);
        var renewAccepted = await org.Client.PostAsync($"/api/invitations/{accepted.Id()}/renew", null);

        Assert.Equal((HttpStatusCode.Conflict, "invitation_not_expired"), (renewPending.StatusCode, await renewPending.Code()));
        Assert.Equal((HttpStatusCode.Conflict, "invitation_used"), (renewAccepted.StatusCode, await renewAccepted.Code()));
        Assert.Equal(pending.Str("link"), (await Get(org, pending)).Str("link"));
    }

    [Fact]
    public async Task Whoever_renews_must_be_allowed_to_grant_the_preset_access_themselves()
    {
        var org = await Host.NewOrganisationAsync();
        var invitation = await org.InviteAsync(TestPhones.New(), new { role = "manager" });
        var (_, staffManager) = org.TeamManager("staff");
        await Host.AdvanceAsync(TimeSpan.FromDays(31));

        var response = await staffManager.PostAsync($"/api/invitations/{invitation.Id()}/renew", null);

        Assert.Equal((HttpStatusCode.Forbidden, "escalation"), (response.StatusCode, await response.Code()));
        Assert.Equal("expired", (await Get(org, invitation)).Str("status"));
        // An expired invitation can still be revoked by them.
        Assert.Equal(HttpStatusCode.OK, (await staffManager.DeleteAsync($"/api/invitations/{invitation.Id()}")).StatusCode);
    }

    [Fact]
    public async Task The_lifetime_follows_the_organisations_setting()
    {
        var org = await Host.NewOrganisationAsync(inviteTtlDays: 30);
        await Host.Bus.Publish(new OrganisationSettingsChanged(
            org.OrgId, org.Slug, "Renamed", new OrganisationSettings(2, 7, "approval", null, "fr", true), Host.Time.GetUtcNow().AddSeconds(1)));
        // A stale change arriving late is ignored: the newest state wins.
        await Host.Bus.Publish(new OrganisationSettingsChanged(
            org.OrgId, org.Slug, "Stale", new OrganisationSettings(2, 60, "approval", null, "en", true), Host.Time.GetUtcNow().AddSeconds(-1)));
        await Eventually.Until(
            () => Host.InDatabase(db => db.Organisations.FindAsync(org.OrgId).AsTask()),
            o => o!.InviteTtlDays == 7,
            what: "the new lifetime");

        var invitation = await org.InviteAsync(TestPhones.New());

        Assert.Equal(Host.Time.GetUtcNow().AddDays(7), invitation.GetProperty("expiresAt").GetDateTimeOffset());
        var delivery = Assert.Single(await Host.Bus.WaitFor<SendInvitation>(d => d.InvitationId == invitation.Id(), count: 1));
        Assert.Equal(("Renamed", "fr"), (delivery.OrganisationName, delivery.Language));
    }

    [Fact]
    public async Task The_sweep_announces_each_expiry_once()
    {
        var org = await Host.NewOrganisationAsync();
        var invitation = await org.InviteAsync(TestPhones.New());
        var revokedFirst = await org.InviteAsync(TestPhones.New());
        await org.Client.DeleteAsync($"/api/invitations/{revokedFirst.Id()}");

        // Moving the clock past the expiry wakes the background sweep; more sweeps at the same time change nothing.
        await Host.AdvanceAsync(TimeSpan.FromDays(31));
        var sweep = Host.Services.GetRequiredService<ExpirySweep>();
        await Task.WhenAll(sweep.SweepAsync(default), sweep.SweepAsync(default), sweep.SweepAsync(default));
        await sweep.SweepAsync(default);

        var expired = Assert.Single(await Host.Bus.WaitFor<InvitationExpired>(e => e.InvitationId == invitation.Id(), count: 1));
        Assert.Equal((org.OrgId, invitation.GetProperty("expiresAt").GetDateTimeOffset()), (expired.OrgId, expired.ExpiredAt));

        // Events reach the subscriber in the order they were published: a duplicate would have arrived before this one.
        var marker = await org.InviteAsync(TestPhones.New());
        await Host.Bus.WaitFor<InvitationCreated>(e => e.InvitationId == marker.Id());
        Assert.Single(Host.Bus.Received<InvitationExpired>(e => e.InvitationId == invitation.Id()));
        Assert.Empty(Host.Bus.Received<InvitationExpired>(e => e.InvitationId == revokedFirst.Id()));
        Assert.Equal("expired", (await Get(org, invitation)).Str("status"));
    }

    private static Task<JsonElement> Get(TestOrg org, JsonElement invitation) =>
        org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}");
}
