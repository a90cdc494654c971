using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>What an admin does with invitations: invite, list, copy the link, send again, revoke.</summary>
public sealed class InvitingTests(InvitationFixture fixture) : IClassFixture<InvitationFixture>
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

        var delivery = Assert.Single(await Host.Bus.WaitForDeliveries(invitation.Id(), 1));
        Assert.Equal((org.OrgId, phone, "new.staff@example.org", link), (delivery.OrgId, delivery.Phone, delivery.Email, delivery.Link));
        Assert.Equal(("Hope Church", "sw", "amina"), (delivery.OrganisationName, delivery.Language, delivery.InviterName));

        var created = Assert.Single(await Host.Bus.WaitForEvents<InvitationCreated>(e => e.InvitationId == invitation.Id()));
        Assert.Equal((org.OrgId, phone, org.Admin.Id), (created.OrgId, created.Phone, created.InvitedBy));
        Assert.Equal(invitation.GetProperty("expiresAt").GetDateTimeOffset(), created.ExpiresAt);
    }

    private static string Spaced(string phone) => $"{phone[..4]} {phone[4..7]}-{phone[7..]}";
}
