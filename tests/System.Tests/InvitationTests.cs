using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>docs/product.md#invitations through the gateway: invite by phone, the link by WhatsApp, register through it, active at once.</summary>
[Collection(nameof(SystemCollection))]
public sealed class InvitationTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task An_invited_phone_registers_through_the_link_and_is_active_at_once_with_the_preset_access()
    {
        var org = await _api.CreateOrganisationAsync();
        var groupResponse = await _api.SendAs(org.Creator, HttpMethod.Post, "/api/groups", new { name = "Ushers" });
        await Expect(groupResponse, HttpStatusCode.Created);
        var groupId = (await groupResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var phone = TestPhones.New();

        var invited = await _api.SendAs(org.Creator, HttpMethod.Post, "/api/invitations",
            new { phone, access = new { role = "staff", groupIds = new[] { groupId } } });
        await Expect(invited, HttpStatusCode.Created);
        var invitation = await invited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", invitation.GetProperty("status").GetString());
        var link = invitation.GetProperty("link").GetString()!;

        // The invitee's WhatsApp message carries the same link, which the admin can copy again.
        var message = await _api.LatestMessageAsync(phone, "invitation");
        Assert.Equal(link, message.GetProperty("variables").GetProperty("link").GetString());
        var copied = await _api.GetJson(org.Creator, $"/api/invitations/{invitation.GetProperty("id").GetString()}/link");
        Assert.Equal(link, copied.GetProperty("link").GetString());

        var token = link[(link.LastIndexOf('/') + 1)..];
        var preview = await _api.Gateway.GetFromJsonAsync<JsonElement>($"/api/invitations/preview/{token}");
        Assert.Equal("pending", preview.GetProperty("status").GetString());
        Assert.DoesNotContain(phone, preview.GetRawText());

        // A forwarded link is useless to another phone.
        var forwarded = await _api.Gateway.PostAsJsonAsync($"/api/orgs/{org.Slug}/registrations",
            new { username = "stranger", phone = TestPhones.New(), password = Password, invitationToken = token });
        Assert.Equal(HttpStatusCode.Forbidden, forwarded.StatusCode);
        Assert.Equal("invitation_phone_mismatch", await CodeOf(forwarded));

        var member = await _api.RegisterAsync(org.Slug, "invitee", phone, token);
        Assert.Equal(("active", false), (member.Status, member.IsAdmin));

        await _api.SignInAsync(member, org.Slug);
        var check = await _api.SendAs(member, HttpMethod.Post, "/api/permissions/check",
            new { permission = "message_inbox", groupIds = new[] { groupId } });
        await Expect(check, HttpStatusCode.OK);
        Assert.True((await check.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowed").GetBoolean());

        // A link works once.
        var again = await _api.Gateway.PostAsJsonAsync($"/api/orgs/{org.Slug}/registrations",
            new { username = "again", phone, password = Password, invitationToken = token });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("invitation_used", await CodeOf(again));

        var accepted = await _api.GetJson(org.Creator, "/api/invitations?status=accepted");
        Assert.Equal(1, accepted.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_member_without_admin_settings_cannot_invite()
    {
        var org = await _api.CreateOrganisationAsync();
        var staff = await _api.MemberWithAccessAsync(org, new { role = "staff" });
        await _api.SignInAsync(staff, org.Slug);

        var response = await _api.SendAs(staff, HttpMethod.Post, "/api/invitations",
            new { phone = TestPhones.New(), access = new { role = "staff" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", await CodeOf(response));
    }
}
