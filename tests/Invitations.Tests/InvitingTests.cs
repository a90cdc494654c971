using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>What an admin does with invitations: invite, list, copy the link, send again, revoke.</summary>
[Collection(nameof(InvitationCollection))]
public sealed class InvitingTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    [Fact]
    public async Task An_admin_invites_a_phone_and_the_invitee_is_sent_the_link_by_whatsapp_and_email()
    {
        var org = await Host.NewOrganisationAsync(name: "Hope Church", language: "sw");
        var phone = TestPhones.New();

        var response = await org.Client.PostAsJsonAsync("/api/invitations", new { phone = Spaced(phone), email = "new.staff@example.org", access = new { role = "staff" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var invitation = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/invitations/{invitation.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(phone, invitation.Str("phone"));
        Assert.Equal("new.staff@example.org", invitation.Str("email"));
        Assert.Equal("pending", invitation.Str("status"));
        Assert.Equal(org.Admin.Id, invitation.GetProperty("invitedBy").GetGuid());
        Assert.Equal(Host.Time.GetUtcNow(), invitation.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(Host.Time.GetUtcNow().AddDays(30), invitation.GetProperty("expiresAt").GetDateTimeOffset());
        // The access document as the permission service normalised it.
        Assert.Equal("staff", invitation.GetProperty("access").Str("role"));
        Assert.False(invitation.GetProperty("access").GetProperty("isAdmin").GetBoolean());
        var link = invitation.Str("link");
        Assert.StartsWith($"{InvitationHost.PublicBaseUrl}/invite/", link);
        Assert.Equal(43, invitation.Token().Length);

        var delivery = Assert.Single(await Host.Bus.WaitFor<SendInvitation>(d => d.InvitationId == invitation.Id(), count: 1));
        Assert.Equal((org.OrgId, phone, "new.staff@example.org", link), (delivery.OrgId, delivery.Phone, delivery.Email, delivery.Link));
        Assert.Equal(("Hope Church", "sw", "amina"), (delivery.OrganisationName, delivery.Language, delivery.InviterName));

        var created = Assert.Single(await Host.Bus.WaitFor<InvitationCreated>(e => e.InvitationId == invitation.Id(), count: 1));
        Assert.Equal((org.OrgId, phone, org.Admin.Id), (created.OrgId, created.Phone, created.InvitedBy));
        Assert.Equal(invitation.GetProperty("expiresAt").GetDateTimeOffset(), created.ExpiresAt);
    }

    [Fact]
    public async Task Pending_invitations_are_listed_newest_first_in_pages()
    {
        var org = await Host.NewOrganisationAsync();
        var first = await org.InviteAsync(TestPhones.New());
        var second = await org.InviteAsync(TestPhones.New());
        var third = await org.InviteAsync(TestPhones.New());
        await org.Client.DeleteAsync($"/api/invitations/{second.Id()}");

        var pending = await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations?status=pending&page=1&pageSize=1");
        var secondPage = await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations?status=pending&page=2&pageSize=1");
        var revoked = await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations?status=revoked");
        var all = await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations");

        Assert.Equal(2, pending.GetProperty("total").GetInt32());
        Assert.Equal((1, 1), (pending.GetProperty("page").GetInt32(), pending.GetProperty("pageSize").GetInt32()));
        Assert.Equal(third.Id(), Assert.Single(pending.GetProperty("items").EnumerateArray()).Id());
        Assert.Equal(first.Id(), Assert.Single(secondPage.GetProperty("items").EnumerateArray()).Id());
        Assert.Equal(second.Id(), Assert.Single(revoked.GetProperty("items").EnumerateArray()).Id());
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(50, all.GetProperty("pageSize").GetInt32());
        Assert.Equal(third.Str("link"), pending.GetProperty("items")[0].Str("link"));
    }

    [Fact]
    public async Task The_link_copied_again_is_the_same_link_the_invitee_was_sent()
    {
        var org = await Host.NewOrganisationAsync();
        var invitation = await org.InviteAsync(TestPhones.New());

        var once = await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}/link");
        var twice = await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}/link");

        Assert.Equal(invitation.Str("link"), once.Str("link"));
        Assert.Equal(once.Str("link"), twice.Str("link"));
        Assert.Equal(once.Str("link"), Assert.Single(await Host.Bus.WaitFor<SendInvitation>(d => d.InvitationId == invitation.Id(), count: 1)).Link);
        Assert.Equal(HttpStatusCode.OK, (await Host.ValidateAsync(org.OrgId, Json.TokenOf(twice.Str("link")), invitation.Str("phone"))).StatusCode);
    }

    [Fact]
    public async Task Resending_delivers_the_same_link_again()
    {
        var org = await Host.NewOrganisationAsync();
        var invitation = await org.InviteAsync(TestPhones.New(), email: "a@example.org");

        var response = await org.Client.PostAsync($"/api/invitations/{invitation.Id()}/resend", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var deliveries = await Host.Bus.WaitFor<SendInvitation>(d => d.InvitationId == invitation.Id(), count: 2);
        Assert.All(deliveries, d => Assert.Equal((invitation.Str("link"), "a@example.org"), (d.Link, d.Email)));
    }

    [Fact]
    public async Task A_revoked_invitation_is_dead_everywhere_and_revoking_again_changes_nothing()
    {
        var org = await Host.NewOrganisationAsync();
        var invitation = await org.InviteAsync(TestPhones.New());
        var token = invitation.Token();

        var response = await org.Client.DeleteAsync($"/api/invitations/{invitation.Id()}");
        var again = await org.Client.DeleteAsync($"/api/invitations/{invitation.Id()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var revoked = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("revoked", revoked.Str("status"));
        Assert.Equal(JsonValueKind.Null, revoked.GetProperty("link").ValueKind);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var copy = await org.Client.GetAsync($"/api/invitations/{invitation.Id()}/link");
        Assert.Equal((HttpStatusCode.Conflict, "invitation_revoked"), (copy.StatusCode, await copy.Code()));
        var resend = await org.Client.PostAsync($"/api/invitations/{invitation.Id()}/resend", null);
        Assert.Equal((HttpStatusCode.Conflict, "invitation_revoked"), (resend.StatusCode, await resend.Code()));
        var register = await Host.ValidateAsync(org.OrgId, token, invitation.Str("phone"));
        Assert.Equal((HttpStatusCode.Gone, "invitation_revoked"), (register.StatusCode, await register.Code()));
        var accept = await Host.AcceptAsync(org.OrgId, token, invitation.Str("phone"));
        Assert.Equal((HttpStatusCode.Gone, "invitation_revoked"), (accept.StatusCode, await accept.Code()));
        var preview = await (await Host.PreviewAsync(token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("revoked", preview.Str("status"));

        var events = await Host.Bus.WaitFor<InvitationRevoked>(e => e.InvitationId == invitation.Id(), count: 1);
        Assert.Equal(org.Admin.Id, Assert.Single(events).RevokedBy);
    }

    [Fact]
    public async Task Inviting_a_phone_again_replaces_its_open_invitation()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var first = await org.InviteAsync(phone);

        var second = await org.InviteAsync(phone, new { role = "manager" }, "corrected@example.org");

        Assert.NotEqual(first.Id(), second.Id());
        Assert.NotEqual(first.Str("link"), second.Str("link"));
        Assert.Equal(("manager", "corrected@example.org"), (second.GetProperty("access").Str("role"), second.Str("email")));
        var pending = await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations?status=pending");
        Assert.Equal(second.Id(), Assert.Single(pending.GetProperty("items").EnumerateArray()).Id());
        var old = await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{first.Id()}");
        Assert.Equal("revoked", old.Str("status"));
        var oldLink = await Host.ValidateAsync(org.OrgId, first.Token(), phone);
        Assert.Equal((HttpStatusCode.Gone, "invitation_revoked"), (oldLink.StatusCode, await oldLink.Code()));
        Assert.Single(await Host.Bus.WaitFor<InvitationRevoked>(e => e.InvitationId == first.Id(), count: 1));
        Assert.Single(await Host.Bus.WaitFor<SendInvitation>(d => d.InvitationId == second.Id(), count: 1));
    }

    [Fact]
    public async Task Inviting_one_phone_many_times_at_once_leaves_exactly_one_open_invitation()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            org.Client.PostAsJsonAsync("/api/invitations", new { phone, access = TestOrg.Staff })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var all = await org.Client.GetFromJsonAsync<JsonElement>("/api/invitations?pageSize=200");
        var statuses = all.GetProperty("items").EnumerateArray().Select(i => i.Str("status")).ToList();
        Assert.Equal(8, statuses.Count);
        Assert.Single(statuses, status => status == "pending");
    }

    [Fact]
    public async Task The_inviter_cannot_preset_more_than_they_hold_and_the_refusal_is_passed_on()
    {
        var org = await Host.NewOrganisationAsync();
        var (_, manager) = org.TeamManager("staff");
        var checksBefore = Host.Permission.InvitationChecks;

        var asManager = await manager.PostAsJsonAsync("/api/invitations", new { phone = TestPhones.New(), access = new { role = "manager" } });
        var asAdmin = await manager.PostAsJsonAsync("/api/invitations", new { phone = TestPhones.New(), access = new { role = "staff", isAdmin = true } });
        var asStaff = await manager.PostAsJsonAsync("/api/invitations", new { phone = TestPhones.New(), access = new { role = "staff" } });

        Assert.Equal((HttpStatusCode.Forbidden, "escalation"), (asManager.StatusCode, await asManager.Code()));
        Assert.Equal((HttpStatusCode.Forbidden, "escalation"), (asAdmin.StatusCode, await asAdmin.Code()));
        Assert.Equal(HttpStatusCode.Created, asStaff.StatusCode);
        Assert.Equal(checksBefore + 3, Host.Permission.InvitationChecks);
        Assert.Equal(1, await Host.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == org.OrgId)));
    }

    [Fact]
    public async Task A_member_without_admin_settings_manages_no_invitations()
    {
        var org = await Host.NewOrganisationAsync();
        var invitation = await org.InviteAsync(TestPhones.New());
        var (member, client) = org.TeamManager();
        member.AdminSettings = false;

        var create = await client.PostAsJsonAsync("/api/invitations", new { phone = TestPhones.New(), access = TestOrg.Staff });
        var list = await client.GetAsync("/api/invitations");
        var link = await client.GetAsync($"/api/invitations/{invitation.Id()}/link");
        var revoke = await client.DeleteAsync($"/api/invitations/{invitation.Id()}");

        foreach (var response in new[] { create, list, link, revoke })
        {
            Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (response.StatusCode, await response.Code()));
        }

        Assert.Equal("pending", (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}")).Str("status"));
    }

    [Fact]
    public async Task Inviting_a_member_is_refused_as_already_member()
    {
        var org = await Host.NewOrganisationAsync();
        var (member, _) = org.TeamManager();

        var response = await org.Client.PostAsJsonAsync("/api/invitations", new { phone = member.Phone, access = TestOrg.Staff });

        Assert.Equal((HttpStatusCode.Conflict, "already_member"), (response.StatusCode, await response.Code()));
        Assert.Equal(0, await Host.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == org.OrgId)));
    }

    [Fact]
    public async Task Another_organisations_invitations_are_not_found()
    {
        var theirs = await Host.NewOrganisationAsync();
        var ours = await Host.NewOrganisationAsync();
        var invitation = await theirs.InviteAsync(TestPhones.New());
        var id = invitation.Id();

        var responses = new[]
        {
            await ours.Client.GetAsync($"/api/invitations/{id}"),
            await ours.Client.GetAsync($"/api/invitations/{id}/link"),
            await ours.Client.PostAsync($"/api/invitations/{id}/resend", null),
            await ours.Client.PostAsync($"/api/invitations/{id}/renew", null),
            await ours.Client.DeleteAsync($"/api/invitations/{id}"),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(0, (await ours.Client.GetFromJsonAsync<JsonElement>("/api/invitations")).GetProperty("total").GetInt32());
        var token = await Host.ValidateAsync(ours.OrgId, invitation.Token(), invitation.Str("phone"));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (token.StatusCode, await token.Code()));
        Assert.Equal("pending", (await theirs.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{id}")).Str("status"));
    }

    [Fact]
    public async Task The_preview_shows_an_invitee_what_the_link_is_for_without_any_account()
    {
        var org = await Host.NewOrganisationAsync(name: "Grace Chapel");
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone, new { role = "staff", groupIds = new[] { Guid.NewGuid(), Guid.NewGuid() } });

        var response = await Host.PreviewAsync(invitation.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Grace Chapel", org.Slug, "amina"), (preview.Str("organisationName"), preview.Str("organisationSlug"), preview.Str("inviterUsername")));
        Assert.Equal($"{phone[..3]}{new string('*', phone.Length - 5)}{phone[^2..]}", preview.Str("phone"));
        Assert.Equal("pending", preview.Str("status"));
        Assert.Equal(invitation.GetProperty("expiresAt").GetDateTimeOffset(), preview.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(("staff", 2), (preview.GetProperty("access").Str("role"), preview.GetProperty("access").GetProperty("groupCount").GetInt32()));
        Assert.DoesNotContain("groupIds", preview.GetRawText(), StringComparison.Ordinal);
        var admin = (await (await Host.PreviewAsync((await org.InviteAsync(TestPhones.New(), new { role = "manager", isAdmin = true })).Token()))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access");
        Assert.Equal(("admin", 0), (admin.Str("role"), admin.GetProperty("groupCount").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await Host.PreviewAsync(new string('A', 43))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.PreviewAsync("not-a-token")).StatusCode);
    }

    public static TheoryData<string, string> BadInvitations => new()
    {
        { "{", "validation_failed" },
        { "[]", "validation_failed" },
        { """{"phone": "0711 234567", "access": {"role": "staff"}}""", "invalid_phone" },
        { """{"phone": "+1", "access": {"role": "staff"}}""", "invalid_phone" },
        { """{"access": {"role": "staff"}}""", "invalid_phone" },
        { """{"phone": 254711234567, "access": {"role": "staff"}}""", "validation_failed" },
        { """{"phone": "+254711234567"}""", "validation_failed" },
        { """{"phone": "+254711234567", "access": "staff"}""", "validation_failed" },
        { """{"phone": "+254711234567", "access": {"role": "staff"}, "email": "not-an-email"}""", "validation_failed" },
        { """{"phone": "+254711234567", "access": {"role": "staff"}, "role": "admin"}""", "validation_failed" },
        { """{"phone": "+254711234567", "access": {"role": "overlord"}}""", "validation_failed" },
    };

    [Theory]
    [MemberData(nameof(BadInvitations))]
    public async Task Bad_input_is_refused_with_a_code_and_writes_nothing(string body, string code)
    {
        var org = await Host.NewOrganisationAsync();

        var response = await org.Client.PostAsync("/api/invitations", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await response.Code());
        Assert.Equal(0, await Host.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == org.OrgId)));
    }

    [Theory]
    [InlineData("status=open")]
    [InlineData("status=Pending")]
    [InlineData("page=0")]
    [InlineData("pageSize=201")]
    [InlineData("page=abc")]
    public async Task A_bad_list_query_is_refused(string query)
    {
        var org = await Host.NewOrganisationAsync();

        var response = await org.Client.GetAsync($"/api/invitations?{query}");

        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (response.StatusCode, await response.Code()));
    }

    [Fact]
    public async Task The_api_is_described_for_clients_without_the_internal_routes()
    {
        using var client = Host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/invitations", paths);
        Assert.Contains("/api/invitations/{id}/renew", paths);
        Assert.Contains("/api/invitations/preview/{token}", paths);
        Assert.DoesNotContain(paths, path => path.StartsWith("/internal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invitations_need_a_members_token()
    {
        var org = await Host.NewOrganisationAsync();
        using var anonymous = Host.CreateClient();
        using var service = Host.CreateClient();
        service.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForService("inbox", "permissions.check"));
        using var internalKey = Host.InternalClient();

        var none = await anonymous.PostAsJsonAsync("/api/invitations", new { phone = TestPhones.New(), access = TestOrg.Staff });
        var asService = await service.PostAsJsonAsync("/api/invitations", new { phone = TestPhones.New(), access = TestOrg.Staff });
        var listAsService = await service.GetAsync("/api/invitations");
        var withKeyOnly = await internalKey.GetAsync("/api/invitations");

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthenticated"), (none.StatusCode, await none.Code()));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (asService.StatusCode, await asService.Code()));
        Assert.Equal(HttpStatusCode.Forbidden, listAsService.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withKeyOnly.StatusCode);
        Assert.Equal(0, await Host.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == org.OrgId)));
    }

    private static string Spaced(string phone) => $"{phone[..4]} {phone[4..7]}-{phone[7..]}";
}
