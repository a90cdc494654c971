using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Tests.Fakes;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary><c>GET /api/notifications</c>: admin_settings asked of permission, masking, filters, paging, tenant isolation.</summary>
[Collection(nameof(DevelopmentCollection))]
public sealed class DeliveryLogTests(DevelopmentFixture fixture) : IAsyncLifetime
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
    public async Task Admins_see_phones_and_other_holders_of_admin_settings_see_them_masked()
    {
        var (orgId, phone) = (Guid.NewGuid(), TestPhones.New());
        await DeliverOtpAsync(orgId, phone, "700700");
        var (admin, manager) = (Guid.NewGuid(), Guid.NewGuid());
        PermissionStub.Answer(fixture.Permission, orgId, admin, allowed: true, isAdmin: true);
        PermissionStub.Answer(fixture.Permission, orgId, manager, allowed: true, isAdmin: false);

        var asAdmin = await ListAsync(orgId, admin, $"?to={Uri.EscapeDataString(phone)}");
        var asManager = await ListAsync(orgId, manager, $"?to={Uri.EscapeDataString(phone)}");

        var entry = Assert.Single(asAdmin.GetProperty("items").EnumerateArray());
        Assert.Equal(phone, entry.GetProperty("to").GetString());
        Assert.Equal(Phones.Mask(phone), Assert.Single(asManager.GetProperty("items").EnumerateArray()).GetProperty("to").GetString());
        Assert.Equal((1, 1, 50), (asAdmin.GetProperty("total").GetInt32(), asAdmin.GetProperty("page").GetInt32(), asAdmin.GetProperty("pageSize").GetInt32()));
        Assert.Equal(("whatsapp", "dev", "otp", "delivered", 1),
            (entry.GetProperty("channel").GetString(), entry.GetProperty("provider").GetString(), entry.GetProperty("template").GetString(),
             entry.GetProperty("status").GetString(), entry.GetProperty("attempts").GetInt32()));
        Assert.Equal("[hidden] is your Hope NGO verification code. It expires in 5 minutes. Never share it with anyone.", entry.GetProperty("body").GetString());
        Assert.DoesNotContain("700700", asAdmin.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_admin_settings_the_log_is_forbidden_and_without_a_token_unauthenticated()
    {
        var (orgId, member) = (Guid.NewGuid(), Guid.NewGuid());
        PermissionStub.Answer(fixture.Permission, orgId, member, allowed: false, isAdmin: false);

        using var client = Host.ClientFor(orgId, member);
        var forbidden = await client.GetAsync("/api/notifications");
        using var anonymous = Host.CreateClient();
        var unauthenticated = await anonymous.GetAsync("/api/notifications");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("forbidden", (await forbidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task While_permission_does_not_answer_the_log_is_unavailable_with_retry_after_never_a_500()
    {
        var (orgId, admin) = (Guid.NewGuid(), Guid.NewGuid());
        // Longer than the resilience handler's whole budget, which runs on the host's (advancing) clock.
        PermissionStub.Hang(fixture.Permission, orgId, admin, TimeSpan.FromSeconds(15));

        using var client = Host.ClientFor(orgId, admin);
        var response = await Host.AdvancingClockUntil(() => client.GetAsync("/api/notifications"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("service_unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Another_organisations_entries_are_never_visible()
    {
        var (mine, theirs) = (Guid.NewGuid(), Guid.NewGuid());
        var (myPhone, theirPhone) = (TestPhones.New(), TestPhones.New());
        await DeliverOtpAsync(mine, myPhone, "123123");
        await DeliverOtpAsync(theirs, theirPhone, "456456");
        var admin = Guid.NewGuid();
        PermissionStub.Answer(fixture.Permission, mine, admin, allowed: true, isAdmin: true);

        var all = await ListAsync(mine, admin, "?pageSize=200");
        var theirsByPhone = await ListAsync(mine, admin, $"?to={Uri.EscapeDataString(theirPhone)}");

        var recipients = all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("to").GetString()).ToList();
        Assert.Contains(myPhone, recipients);
        Assert.DoesNotContain(theirPhone, recipients);
        Assert.Equal(0, theirsByPhone.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_log_filters_by_type_and_status_and_pages()
    {
        var orgId = Guid.NewGuid();
        var phone = TestPhones.New();
        await DeliverOtpAsync(orgId, phone, "010101");
        await Host.SendAsync(Host.Otp(orgId, phone, "020202", OtpPurposes.PasswordReset));
        await Host.SendAsync(Host.Otp(orgId, phone, "030303", OtpPurposes.PasswordReset));
        await Host.EntriesTo(phone, e => e.Count == 3 && e.All(n => n.Status == DeliveryStatus.Delivered), "three messages");
        var admin = Guid.NewGuid();
        PermissionStub.Answer(fixture.Permission, orgId, admin, allowed: true, isAdmin: true);

        var resets = await ListAsync(orgId, admin, "?type=password_reset&pageSize=1&page=2");
        var failed = await ListAsync(orgId, admin, "?status=failed");

        Assert.Equal((2, 2, 1), (resets.GetProperty("total").GetInt32(), resets.GetProperty("page").GetInt32(), resets.GetProperty("pageSize").GetInt32()));
        Assert.Equal("password_reset", Assert.Single(resets.GetProperty("items").EnumerateArray()).GetProperty("template").GetString());
        Assert.Equal(0, failed.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?status=lost", "validation_failed")]
    [InlineData("?type=newsletter", "validation_failed")]
    [InlineData("?pageSize=201", "validation_failed")]
    [InlineData("?page=0", "validation_failed")]
    [InlineData("?page=abc", "validation_failed")]
    [InlineData("?to=12", "invalid_phone")]
    public async Task Bad_filters_are_problems_with_a_code(string query, string code)
    {
        var (orgId, admin) = (Guid.NewGuid(), Guid.NewGuid());
        PermissionStub.Answer(fixture.Permission, orgId, admin, allowed: true, isAdmin: true);
        using var client = Host.ClientFor(orgId, admin);

        var response = await client.GetAsync($"/api/notifications{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private async Task DeliverOtpAsync(Guid orgId, string phone, string code)
    {
        await Host.SendAsync(Host.Otp(orgId, phone, code));
        await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Delivered), "the OTP delivered");
    }

    private async Task<JsonElement> ListAsync(Guid orgId, Guid memberId, string query)
    {
        using var client = Host.ClientFor(orgId, memberId);
        var response = await client.GetAsync($"/api/notifications{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
