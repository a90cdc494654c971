using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>
/// Registering through an invitation (identity's side of docs/internal-api.md): the token is checked at
/// registration and consumed once the OTP proved the phone; only the invited phone, and only once.
/// </summary>
[Collection(nameof(InvitationCollection))]
public sealed class AcceptanceTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    [Fact]
    public async Task The_invited_phone_registers_and_gets_exactly_the_preset_access()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone, new { role = "staff", groupIds = new[] { Guid.NewGuid() } });
        var registrationId = Guid.NewGuid();

        var validated = await Host.ValidateAsync(org.OrgId, invitation.Token(), phone);
        var accepted = await Host.AcceptAsync(org.OrgId, invitation.Token(), phone, registrationId);

        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        var validation = await validated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(invitation.Id(), validation.GetProperty("invitationId").GetGuid());
        Assert.Equal(invitation.GetProperty("expiresAt").GetDateTimeOffset(), validation.GetProperty("expiresAt").GetDateTimeOffset());

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var acceptance = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(invitation.Id(), acceptance.GetProperty("invitationId").GetGuid());
        Assert.Equal(org.Admin.Id, acceptance.GetProperty("invitedBy").GetGuid());
        Assert.True(JsonElement.DeepEquals(invitation.GetProperty("access"), acceptance.GetProperty("access")));

        var listed = await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations?status=accepted");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("link").ValueKind);
    }

    [Fact]
    public async Task A_link_works_once_and_the_same_registration_asking_again_gets_the_same_answer()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);
        var registrationId = Guid.NewGuid();

        var first = await Host.AcceptAsync(org.OrgId, invitation.Token(), phone, registrationId);
        var retry = await Host.AcceptAsync(org.OrgId, invitation.Token(), phone, registrationId);
        var other = await Host.AcceptAsync(org.OrgId, invitation.Token(), phone);
        var validate = await Host.ValidateAsync(org.OrgId, invitation.Token(), phone);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.Conflict, "invitation_used"), (other.StatusCode, await other.Code()));
        Assert.Equal((HttpStatusCode.Conflict, "invitation_used"), (validate.StatusCode, await validate.Code()));

        var revoke = await org.Client.DeleteAsync($"/api/invitations/{invitation.Id()}");
        Assert.Equal((HttpStatusCode.Conflict, "invitation_used"), (revoke.StatusCode, await revoke.Code()));
        var copy = await org.Client.GetAsync($"/api/invitations/{invitation.Id()}/link");
        Assert.Equal((HttpStatusCode.Conflict, "invitation_used"), (copy.StatusCode, await copy.Code()));
    }

    [Fact]
    public async Task A_forwarded_link_is_useless_to_another_phone()
    {
        var org = await Host.NewOrganisationAsync();
        var invited = TestPhones.New();
        var invitation = await org.InviteAsync(invited);

        var validate = await Host.ValidateAsync(org.OrgId, invitation.Token(), TestPhones.New());
        var accept = await Host.AcceptAsync(org.OrgId, invitation.Token(), TestPhones.New());

        Assert.Equal((HttpStatusCode.Forbidden, "invitation_phone_mismatch"), (validate.StatusCode, await validate.Code()));
        Assert.Equal((HttpStatusCode.Forbidden, "invitation_phone_mismatch"), (accept.StatusCode, await accept.Code()));
        Assert.Equal("pending", (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}")).Str("status"));
        Assert.Equal(HttpStatusCode.OK, (await Host.AcceptAsync(org.OrgId, invitation.Token(), invited)).StatusCode);
    }

    [Fact]
    public async Task Ten_simultaneous_acceptances_of_one_token_let_exactly_one_through()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Host.AcceptAsync(org.OrgId, invitation.Token(), phone)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(9, refused.Count);
        foreach (var response in refused)
        {
            Assert.Equal((HttpStatusCode.Conflict, "invitation_used"), (response.StatusCode, await response.Code()));
        }
    }

    [Fact]
    public async Task The_acceptance_is_announced_with_the_member_once_permission_registers_them()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);
        await Host.AcceptAsync(org.OrgId, invitation.Token(), phone);
        var memberId = Guid.NewGuid();
        var registered = new MemberRegistered(
            org.OrgId, memberId, "zawadi", phone, MemberStatuses.Active, false, "staff", RegistrationRoutes.Invitation, invitation.Id(), 3, Host.Time.GetUtcNow());

        // Delivered twice (a redelivery with another id, as after a crash between publish and delete), and a self-registration.
        await Host.Bus.Publish(registered);
        await Host.Bus.Publish(registered);
        await Host.Bus.Publish(registered with { MemberId = Guid.NewGuid(), Via = RegistrationRoutes.SelfRegistration, InvitationId = null });

        var accepted = Assert.Single(await Host.Bus.WaitFor<InvitationAccepted>(e => e.InvitationId == invitation.Id(), count: 1));
        Assert.Equal((org.OrgId, memberId), (accepted.OrgId, accepted.MemberId));

        // Whatever the service published after the duplicates reaches the subscriber after them, in order.
        var marker = await org.InviteAsync(TestPhones.New());
        await Host.Bus.WaitFor<InvitationCreated>(e => e.InvitationId == marker.Id());
        Assert.Single(Host.Bus.Received<InvitationAccepted>(e => e.InvitationId == invitation.Id()));
    }

    [Fact]
    public async Task A_token_of_another_organisation_or_made_up_is_unknown()
    {
        var org = await Host.NewOrganisationAsync();
        var other = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);

        var elsewhere = await Host.AcceptAsync(other.OrgId, invitation.Token(), phone);
        var madeUp = await Host.ValidateAsync(org.OrgId, new string('x', 43), phone);
        var malformed = await Host.AcceptAsync(org.OrgId, "../../etc", phone);

        Assert.All(new[] { elsewhere, madeUp, malformed }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("pending", (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}")).Str("status"));
    }

    public static TheoryData<string, string> BadAcceptances => new()
    {
        { "{}", "invalid_phone" },
        { """{"orgId": "00000000-0000-0000-0000-000000000000", "token": "t", "phone": "+254711234567", "registrationId": "7d1f0d52-3c3c-4d7e-9f4b-1f0e2b1c9a11"}""", "validation_failed" },
        { """{"orgId": "7d1f0d52-3c3c-4d7e-9f4b-1f0e2b1c9a11", "token": "t", "phone": "+254711234567"}""", "validation_failed" },
        { """{"orgId": "7d1f0d52-3c3c-4d7e-9f4b-1f0e2b1c9a11", "token": "t", "phone": "0711234567", "registrationId": "7d1f0d52-3c3c-4d7e-9f4b-1f0e2b1c9a11"}""", "invalid_phone" },
        { """{"orgId": "not-a-guid", "token": "t", "phone": "+254711234567", "registrationId": "7d1f0d52-3c3c-4d7e-9f4b-1f0e2b1c9a11"}""", "validation_failed" },
        { """{"orgId": "7d1f0d52-3c3c-4d7e-9f4b-1f0e2b1c9a11", "token": "", "phone": "+254711234567", "registrationId": "7d1f0d52-3c3c-4d7e-9f4b-1f0e2b1c9a11"}""", "validation_failed" },
    };

    [Theory]
    [MemberData(nameof(BadAcceptances))]
    public async Task A_bad_internal_request_is_refused_with_a_code(string body, string code)
    {
        using var client = Host.InternalClient("identity");

        var response = await client.PostAsync("/internal/invitations/accept", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode.BadRequest, code), (response.StatusCode, await response.Code()));
    }

    [Fact]
    public async Task The_internal_api_refuses_a_caller_without_the_key_with_a_wrong_key_or_with_a_members_token()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone);
        using var withoutKey = Host.CreateClient();
        using var withMemberToken = Host.ClientFor(org.OrgId, org.Admin.Id);
        using var withWrongKey = Host.CreateClient();
        withWrongKey.DefaultRequestHeaders.Add("X-Internal-Key", "wrong-key-0123456789abcdef0123456789abcdef0123");
        var body = new { orgId = org.OrgId, token = invitation.Token(), phone, registrationId = Guid.NewGuid() };

        Assert.Equal(HttpStatusCode.Unauthorized, (await withoutKey.PostAsJsonAsync("/internal/invitations/accept", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withoutKey.PostAsJsonAsync("/internal/invitations/validate", new { orgId = org.OrgId, token = invitation.Token(), phone })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withMemberToken.PostAsJsonAsync("/internal/invitations/accept", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withWrongKey.PostAsJsonAsync("/internal/invitations/accept", body)).StatusCode);
        Assert.Equal("pending", (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}")).Str("status"));
    }
}
