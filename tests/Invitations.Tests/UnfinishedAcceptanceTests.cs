using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Invitations.Features.ReleaseUnfinishedAcceptances;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>
/// A registration's verification consumes the invitation, then asks permission for the member: when that fails and the
/// client does not try again, the acceptance is given back after a quarter of an hour (docs/reliability.md).
/// </summary>
[Collection(nameof(InvitationCollection))]
public sealed class UnfinishedAcceptanceTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    private UnfinishedAcceptanceSweep Sweep => Host.Services.GetRequiredService<UnfinishedAcceptanceSweep>();

    [Fact]
    public async Task An_acceptance_no_member_came_of_is_given_back_after_fifteen_minutes_and_the_link_works_again()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);
        var finished = await org.InviteAsync(TestPhones.New());
        Assert.Equal(HttpStatusCode.OK, (await Host.AcceptAsync(org.OrgId, invitation.Token(), phone)).StatusCode);
        await AcceptAndRegisterAsync(org, finished);

        await Host.AdvanceAsync(TimeSpan.FromMinutes(14));
        await Sweep.SweepAsync(default);
        Assert.Equal("accepted", await StatusAsync(org, invitation));
        Assert.Equal((HttpStatusCode.Conflict, "invitation_used"), await Answer(Host.ValidateAsync(org.OrgId, invitation.Token(), phone)));

        await Host.AdvanceAsync(TimeSpan.FromMinutes(2));
        await Task.WhenAll(Sweep.SweepAsync(default), Sweep.SweepAsync(default));

        await GivenBackAsync(org, invitation);
        Assert.Equal("accepted", await StatusAsync(org, finished));
        Assert.Equal(HttpStatusCode.OK, (await Host.ValidateAsync(org.OrgId, invitation.Token(), phone)).StatusCode);
        var copied = await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}/link");
        Assert.Equal(invitation.Str("link"), copied.Str("link"));
        Assert.Equal(HttpStatusCode.OK, (await Host.AcceptAsync(org.OrgId, invitation.Token(), phone)).StatusCode);
        Assert.Equal("accepted", await StatusAsync(org, invitation));
    }

    [Fact]
    public async Task A_member_whose_news_arrives_after_the_acceptance_was_given_back_takes_it_back()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);
        await Host.AcceptAsync(org.OrgId, invitation.Token(), phone);
        await Host.AdvanceAsync(TimeSpan.FromMinutes(16));
        await Sweep.SweepAsync(default);
        await GivenBackAsync(org, invitation);

        var memberId = await PublishRegisteredAsync(org, invitation, phone);

        var accepted = Assert.Single(await Host.Bus.WaitFor<InvitationAccepted>(e => e.InvitationId == invitation.Id(), count: 1));
        Assert.Equal(memberId, accepted.MemberId);
        Assert.Equal("accepted", await StatusAsync(org, invitation));
        Assert.Equal((HttpStatusCode.Conflict, "invitation_used"), await Answer(Host.ValidateAsync(org.OrgId, invitation.Token(), phone)));
    }

    [Fact]
    public async Task An_unfinished_acceptance_of_a_phone_invited_again_since_stays_as_it_is()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var first = await org.InviteAsync(phone);
        await Host.AcceptAsync(org.OrgId, first.Token(), phone);
        var again = await org.InviteAsync(phone);

        await Host.AdvanceAsync(TimeSpan.FromMinutes(16));
        await Sweep.SweepAsync(default);

        Assert.Equal("accepted", await StatusAsync(org, first));
        Assert.Equal("pending", await StatusAsync(org, again));
        Assert.Equal(HttpStatusCode.OK, (await Host.AcceptAsync(org.OrgId, again.Token(), phone)).StatusCode);
    }

    private async Task AcceptAndRegisterAsync(TestOrg org, JsonElement invitation)
    {
        var phone = invitation.Str("phone");
        await Host.AcceptAsync(org.OrgId, invitation.Token(), phone);
        await PublishRegisteredAsync(org, invitation, phone);
        await Host.Bus.WaitFor<InvitationAccepted>(e => e.InvitationId == invitation.Id(), count: 1);
    }

    private async Task<Guid> PublishRegisteredAsync(TestOrg org, JsonElement invitation, string phone)
    {
        var memberId = Guid.NewGuid();
        await Host.Bus.Publish(new MemberRegistered(
            org.OrgId, memberId, "zawadi", phone, MemberStatuses.Active, false, "staff", RegistrationRoutes.Invitation, invitation.Id(), 3,
            Host.Time.GetUtcNow()));
        return memberId;
    }

    /// <summary>The clock's move also woke the background sweep: a row it holds, the test's own sweep skips.</summary>
    private static Task<string> GivenBackAsync(TestOrg org, JsonElement invitation) =>
        Eventually.Until(() => StatusAsync(org, invitation), status => status == "pending", what: "the acceptance given back");

    private static async Task<string> StatusAsync(TestOrg org, JsonElement invitation) =>
        (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}")).Str("status");

    private static async Task<(HttpStatusCode, string?)> Answer(Task<HttpResponseMessage> request)
    {
        var response = await request;
        return (response.StatusCode, await response.Code());
    }
}
