using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>With no provider configured, every message goes to the development channel, whose inbox serves messages in the documented shape.</summary>
[Collection(nameof(DevelopmentCollection))]
public sealed class DevelopmentChannelTests(DevelopmentFixture fixture) : IAsyncLifetime
{
    private NotificationHost Host => fixture.Host;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>After every test: no phone, email, code or link the host was given appears in any line it logged.</summary>
    public Task DisposeAsync()
    {
        Host.AssertLogsClean();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_otp_reaches_the_development_inbox_in_the_shape_of_the_spec()
    {
        var orgId = Guid.NewGuid();
        var phone = TestPhones.New();
        await Host.SendAsync(Host.Otp(orgId, phone, "482913"));

        var message = (await InboxAsync(phone, items => items.Count == 1)).Single();

        Assert.Equal(
            ["id", "to", "channel", "provider", "template", "body", "variables", "createdAt"],
            message.EnumerateObject().Select(p => p.Name));
        Assert.Equal(phone, message.GetProperty("to").GetString());
        Assert.Equal("whatsapp", message.GetProperty("channel").GetString());
        Assert.Equal("dev", message.GetProperty("provider").GetString());
        Assert.Equal("otp", message.GetProperty("template").GetString());
        Assert.Equal("482913", message.GetProperty("variables").GetProperty("code").GetString());
        Assert.Equal("482913 is your Hope NGO verification code. It expires in 5 minutes. Never share it with anyone.", message.GetProperty("body").GetString());
        Assert.Equal(Host.Time.GetUtcNow(), message.GetProperty("createdAt").GetDateTimeOffset());

        // The delivery log has the same message, delivered, without the code.
        var entry = Assert.Single(await Host.EntriesTo(phone));
        Assert.Equal(message.GetProperty("id").GetGuid(), entry.Id);
        Assert.Equal((DeliveryStatus.Delivered, "dev", 1), (entry.Status, entry.Provider, entry.Attempts));
        Assert.DoesNotContain("482913", entry.Body, StringComparison.Ordinal);
        Assert.False(entry.Variables.ContainsKey("code"));
        Assert.Null(entry.ProtectedSecrets);
        Host.AssertLogsClean();
        Assert.Contains(Host.Logs.Lines, line => line.Contains(ServiceDefaults.Phones.PhoneNumbers.Mask(phone), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_inbox_takes_the_phone_with_or_without_its_plus_and_url_encoded()
    {
        var phone = TestPhones.New();
        await Host.SendAsync(Host.Otp(Guid.NewGuid(), phone, "111222"));
        await InboxAsync(phone, items => items.Count == 1);

        using var client = Host.CreateClient();
        foreach (var to in new[] { phone[1..], Uri.EscapeDataString(phone), phone /* a raw '+' reads as a space */ })
        {
            var items = await client.GetFromJsonAsync<JsonElement>($"/api/dev/notifications?to={to}");
            Assert.Equal("111222", Assert.Single(items.EnumerateArray()).GetProperty("variables").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task The_inbox_lists_the_newest_message_first()
    {
        var orgId = Guid.NewGuid();
        var phone = TestPhones.New();
        await Host.SendAsync(Host.Otp(orgId, phone, "100001"));
        await InboxAsync(phone, items => items.Count == 1);
        await Host.SendAsync(Host.Otp(orgId, phone, "200002", OtpPurposes.PasswordReset));

        var items = await InboxAsync(phone, list => list.Count == 2);

        Assert.Equal(["200002", "100001"], items.Select(i => i.GetProperty("variables").GetProperty("code").GetString()));
        Assert.Equal(["password_reset", "otp"], items.Select(i => i.GetProperty("template").GetString()));
    }

    [Fact]
    public async Task A_redelivered_command_is_delivered_once()
    {
        var phone = TestPhones.New();
        var messageId = Guid.NewGuid();
        var command = Host.Otp(Guid.NewGuid(), phone, "333444");

        await Host.SendAsync(command, messageId);
        await Host.SendAsync(command, messageId);
        await InboxAsync(phone, items => items.Count >= 1);
        // A later command to the same phone arriving proves the redelivery was handled before it.
        await Host.SendAsync(Host.Otp(Guid.NewGuid(), phone, "555666"));
        var items = await InboxAsync(phone, list => list.Any(i => i.GetProperty("variables").GetProperty("code").GetString() == "555666"));

        Assert.Single(items, i => i.GetProperty("variables").GetProperty("code").GetString() == "333444");
        Assert.Equal(2, (await Host.EntriesTo(phone)).Count);
    }

    [Fact]
    public async Task Every_admin_gets_the_approval_request_in_the_organisations_language()
    {
        var orgId = await Host.CreateOrganisationAsync("Espoir", language: "fr");
        var admins = new[] { TestPhones.New(), TestPhones.New() };

        await Host.PublishAsync(new MemberApprovalRequested(
            orgId, Guid.NewGuid(), "amina", [.. admins.Select(p => new ApprovalRecipient(Guid.NewGuid(), p))], Host.Time.GetUtcNow()));

        foreach (var admin in admins)
        {
            var message = (await InboxAsync(admin, items => items.Count == 1)).Single();
            Assert.Equal("approval_request", message.GetProperty("template").GetString());
            Assert.Equal(
                "amina s'est inscrit chez Espoir et attend votre approbation. Ouvrez la gestion de l'équipe pour lui attribuer un rôle.",
                message.GetProperty("body").GetString());
            Assert.Equal("amina", message.GetProperty("variables").GetProperty("username").GetString());
        }
    }

    [Fact]
    public async Task An_approved_member_is_told_and_a_blocked_one_is_not()
    {
        var orgId = await Host.CreateOrganisationAsync("Hope NGO", language: "xx-unknown");
        var (approved, blocked) = (Guid.NewGuid(), Guid.NewGuid());
        var (approvedPhone, blockedPhone) = (TestPhones.New(), TestPhones.New());
        var now = Host.Time.GetUtcNow();
        await Host.PublishAsync(new MemberRegistered(orgId, approved, "baraka", approvedPhone, MemberStatuses.PendingApproval, false, "none", RegistrationRoutes.SelfRegistration, null, 3, now));
        await Host.PublishAsync(new MemberRegistered(orgId, blocked, "chris", blockedPhone, MemberStatuses.PendingApproval, false, "none", RegistrationRoutes.SelfRegistration, null, 4, now));

        await Host.PublishAsync(new MemberAccessChanged(orgId, blocked, MemberStatuses.Blocked, MemberStatuses.PendingApproval, false, "none", 5, Guid.NewGuid(), now));
        await Host.PublishAsync(new MemberAccessChanged(orgId, approved, MemberStatuses.Active, MemberStatuses.PendingApproval, false, "staff", 6, Guid.NewGuid(), now));
        // An admin toggled later: not an approval, no second message.
        await Host.PublishAsync(new MemberAccessChanged(orgId, approved, MemberStatuses.Active, MemberStatuses.Active, true, "admin", 7, Guid.NewGuid(), now));

        var message = (await InboxAsync(approvedPhone, items => items.Count == 1)).Single();
        Assert.Equal("approved", message.GetProperty("template").GetString());
        // An organisation language TeamPlatform does not speak falls back to English.
        Assert.Equal("Hi baraka, an admin approved your access to Hope NGO. You can log in now.", message.GetProperty("body").GetString());

        await Host.SendAsync(Host.Otp(orgId, blockedPhone, "909090"));
        var blockedInbox = await InboxAsync(blockedPhone, items => items.Count >= 1);
        Assert.Equal(["otp"], blockedInbox.Select(i => i.GetProperty("template").GetString()));
        Assert.Single(await InboxAsync(approvedPhone, _ => true));
    }

    [Fact]
    public async Task A_member_whose_temporary_access_ended_is_told_and_one_whose_access_an_admin_changed_is_not()
    {
        var orgId = await Host.CreateOrganisationAsync("Hope NGO", language: "fr");
        var (lapsed, changed) = (Guid.NewGuid(), Guid.NewGuid());
        var (lapsedPhone, changedPhone) = (TestPhones.New(), TestPhones.New());
        var now = Host.Time.GetUtcNow();
        await Host.PublishAsync(new MemberRegistered(orgId, lapsed, "amina", lapsedPhone, MemberStatuses.Active, false, "staff", RegistrationRoutes.Invitation, null, 3, now));
        await Host.PublishAsync(new MemberRegistered(orgId, changed, "chris", changedPhone, MemberStatuses.Active, false, "staff", RegistrationRoutes.Invitation, null, 4, now));

        await Host.PublishAsync(new MemberAccessChanged(
            orgId, changed, MemberStatuses.Active, MemberStatuses.Active, false, "staff", 5, Guid.NewGuid(), now, ChangedByKind: ChangeKinds.Member));
        await Host.PublishAsync(new MemberAccessChanged(
            orgId, lapsed, MemberStatuses.Active, MemberStatuses.Active, false, "staff", 6, null, now, ChangedByKind: ChangeKinds.Expiry));

        var message = (await InboxAsync(lapsedPhone, items => items.Count == 1)).Single();
        Assert.Equal("access_expired", message.GetProperty("template").GetString());
        Assert.Equal(
            "Bonjour amina, votre accès temporaire à Hope NGO a pris fin. Demandez à un administrateur si vous en avez encore besoin.",
            message.GetProperty("body").GetString());
        await Host.SendAsync(Host.Otp(orgId, changedPhone, "909090"));
        Assert.Equal(["otp"], (await InboxAsync(changedPhone, items => items.Count >= 1)).Select(i => i.GetProperty("template").GetString()));
    }

    [Fact]
    public async Task An_approval_that_overtakes_the_registration_reaches_the_member_once_known()
    {
        var orgId = await Host.CreateOrganisationAsync("Hope NGO");
        var memberId = Guid.NewGuid();
        var phone = TestPhones.New();
        var now = Host.Time.GetUtcNow();

        await Host.PublishAsync(new MemberAccessChanged(orgId, memberId, MemberStatuses.Active, MemberStatuses.PendingApproval, false, "staff", 9, Guid.NewGuid(), now));
        await Host.PublishAsync(new MemberRegistered(orgId, memberId, "dawit", phone, MemberStatuses.PendingApproval, false, "none", RegistrationRoutes.SelfRegistration, null, 8, now));

        var message = (await InboxAsync(phone, items => items.Count == 1)).Single();
        Assert.Equal("Hi dawit, an admin approved your access to Hope NGO. You can log in now.", message.GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_member_who_changed_their_phone_is_approved_at_the_new_one()
    {
        var orgId = await Host.CreateOrganisationAsync("Hope NGO");
        var memberId = Guid.NewGuid();
        var (oldPhone, newPhone) = (TestPhones.New(), TestPhones.New());
        var now = Host.Time.GetUtcNow();
        await Host.PublishAsync(new MemberRegistered(orgId, memberId, "dawit", oldPhone, MemberStatuses.PendingApproval, false, "none", RegistrationRoutes.SelfRegistration, null, 8, now));
        await Host.PublishAsync(new MemberProfileChanged(orgId, memberId, "dawit", newPhone, now.AddSeconds(1)));
        await Eventually.Until(
            () => Host.InDatabase(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Members, m => m.MemberId == memberId && m.Phone == newPhone)),
            known => known,
            what: "the new phone in the directory");

        await Host.PublishAsync(new MemberAccessChanged(orgId, memberId, MemberStatuses.Active, MemberStatuses.PendingApproval, false, "staff", 9, Guid.NewGuid(), now.AddSeconds(2)));

        Assert.Equal("approved", (await InboxAsync(newPhone, items => items.Count == 1)).Single().GetProperty("template").GetString());
        Assert.Empty(await InboxAsync(oldPhone, _ => true));
    }

    [Fact]
    public async Task An_invitation_goes_by_whatsapp_and_by_email_with_its_link_in_the_variables()
    {
        var phone = TestPhones.New();
        var email = $"invitee-{Guid.NewGuid():N}@example.org";
        var link = $"http://localhost:5080/invite/{Guid.NewGuid():N}";
        await Host.SendAsync(new SendInvitation(
            Guid.NewGuid(), Guid.NewGuid(), "Hope NGO", "amina", phone, email, link, "sw",
            new DateTimeOffset(2026, 2, 4, 9, 0, 0, TimeSpan.Zero), Host.Time.GetUtcNow()));

        var whatsApp = (await InboxAsync(phone, items => items.Count == 1)).Single();
        var mail = (await InboxAsync(email, items => items.Count == 1)).Single();

        Assert.Equal(("whatsapp", "email"), (whatsApp.GetProperty("channel").GetString(), mail.GetProperty("channel").GetString()));
        foreach (var message in new[] { whatsApp, mail })
        {
            Assert.Equal("invitation", message.GetProperty("template").GetString());
            Assert.Equal(link, message.GetProperty("variables").GetProperty("link").GetString());
            Assert.Equal($"amina amekualika ujiunge na timu ya Hope NGO. Kubali kabla ya 2026-02-04: {link}", message.GetProperty("body").GetString());
        }

        var entries = await Host.EntriesTo(phone);
        Assert.All(entries, e => Assert.DoesNotContain(link, e.Body, StringComparison.Ordinal));
        Assert.Contains("[hidden]", Assert.Single(entries).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "validation_failed")]
    [InlineData("not-a-phone", "invalid_phone")]
    [InlineData("%2B999", "invalid_phone")]
    public async Task A_bad_recipient_is_a_problem_with_a_code(string to, string code)
    {
        using var client = Host.CreateClient();
        var response = await client.GetAsync($"/api/dev/notifications?to={to}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private async Task<List<JsonElement>> InboxAsync(string to, Func<List<JsonElement>, bool> done)
    {
        using var client = Host.CreateClient();
        return await Eventually.Until(
            async () => (await client.GetFromJsonAsync<JsonElement>($"/api/dev/notifications?to={Uri.EscapeDataString(to)}")).EnumerateArray().ToList(),
            done,
            TimeSpan.FromSeconds(20),
            "the development inbox");
    }
}
