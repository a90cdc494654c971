using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Tests.Fakes;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>
/// Webhooks end to end in the service: events of the organisation delivered signed (Standard Webhooks, checked with its
/// library), only to the organisation's own endpoints, retried over about a day on the fake clock, the endpoint turned
/// off with its admins told, replays, rotation's overlap, retention.
/// </summary>
[Collection(nameof(WebhookCollection))]
public sealed class WebhookTests(WebhookFixture fixture) : IAsyncLifetime
{
    private NotificationHost Host => fixture.Host;
    private WebhookReceiver Receiver => fixture.Receiver;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Host.AssertLogsClean();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_event_reaches_the_endpoint_once_signed_with_the_secret_shown_at_registration()
    {
        var (orgId, admin) = Admin();
        var url = Receiver.Endpoint();
        var webhook = await RegisterAsync(orgId, admin, url, ["MemberRegistered", "MemberRemoved"]);
        var secret = webhook.GetProperty("secret").GetString()!;
        var registered = Registered(orgId);
        var eventId = Guid.NewGuid();

        await Host.PublishAsync(registered, eventId);
        await Host.PublishAsync(registered, eventId); // the broker delivering it again
        await Host.PublishAsync(new MemberRemoved(orgId, registered.MemberId, 8, admin, Host.Time.GetUtcNow()));
        var received = await ReceivedAsync(url, 2);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.All(received, r => Assert.True(r.SignedWith(secret), $"{r.Id} is signed with the secret shown at registration"));
        Assert.Equal(2, received.Select(r => r.Id).Distinct().Count());
        // Deliveries run several at a time: the two may arrive in either order.
        var registeredAt = received.Single(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString() == "MemberRegistered");
        var body = JsonDocument.Parse(registeredAt.Body).RootElement;
        Assert.Equal(registered.OccurredAt, body.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(registered.MemberId, body.GetProperty("data").GetProperty("memberId").GetGuid());
        Assert.Equal(registered.Phone, body.GetProperty("data").GetProperty("phone").GetString());
        Assert.Single(received, r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString() == "MemberRemoved");

        var log = await GetAsync(orgId, admin, $"/api/webhooks/{Id(webhook)}/deliveries");
        Assert.Equal(2, log.GetProperty("total").GetInt32());
        var first = log.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("eventType").GetString() == "MemberRegistered");
        Assert.Equal(("succeeded", 1, 200), (first.GetProperty("status").GetString(), first.GetProperty("attempts").GetInt32(), first.GetProperty("lastResponseStatus").GetInt32()));
        Assert.Equal(registeredAt.Id, first.GetProperty("messageId").GetString());
        Assert.Equal(eventId, first.GetProperty("eventId").GetGuid());
    }

    [Fact]
    public async Task A_receiver_slow_to_answer_holds_up_no_other_endpoints_deliveries()
    {
        var (slowOrg, slowAdmin) = Admin();
        var (orgId, admin) = Admin();
        var slowUrl = Receiver.Endpoint(delay: TimeSpan.FromSeconds(6));
        var url = Receiver.Endpoint();
        var slow = await RegisterAsync(slowOrg, slowAdmin, slowUrl, ["MemberRegistered"]);
        await RegisterAsync(orgId, admin, url, ["MemberRegistered"]);

        await Host.PublishAsync(Registered(slowOrg));
        await Eventually.Until(() => Host.InDatabase(db => db.WebhookDeliveries.AnyAsync(d => d.EndpointId == Id(slow) && d.NextAttemptAt > Host.Time.GetUtcNow())),
            inFlight => inFlight, TimeSpan.FromSeconds(20), "the slow receiver's attempt under way");
        await Host.PublishAsync(Registered(orgId));
        await ReceivedAsync(url, 1);

        // The other endpoint's delivery went while the slow attempt was still waiting for its answer.
        Assert.Equal(0, await Host.InDatabase(db => db.WebhookDeliveries.Where(d => d.EndpointId == Id(slow)).Select(d => d.Attempts).SingleAsync()));
        await Eventually.Until(() => Host.InDatabase(db => db.WebhookDeliveries.Where(d => d.EndpointId == Id(slow)).Select(d => d.Status).SingleAsync()),
            status => status == WebhookDeliveryStatus.Succeeded, TimeSpan.FromSeconds(30), "the slow receiver's delivery to succeed");
    }

    [Fact]
    public async Task An_endpoint_deleted_while_its_delivery_is_under_way_leaves_the_worker_without_an_error()
    {
        var (orgId, admin) = Admin();
        var url = Receiver.Endpoint(delay: TimeSpan.FromSeconds(3));
        var webhook = await RegisterAsync(orgId, admin, url, ["MemberRegistered"]);
        await Host.PublishAsync(Registered(orgId));
        await Eventually.Until(() => Host.InDatabase(db => db.WebhookDeliveries.AnyAsync(d => d.EndpointId == Id(webhook) && d.NextAttemptAt > Host.Time.GetUtcNow())),
            inFlight => inFlight, TimeSpan.FromSeconds(20), "the attempt under way");

        using var client = Host.ClientFor(orgId, admin);
        var deleted = await client.DeleteAsync($"/api/webhooks/{Id(webhook)}");
        var gone = $"{Id(webhook)} was deleted while delivery";
        await Eventually.Until(() => Task.FromResult(Host.Logs.Lines.Any(line => line.Contains(gone, StringComparison.Ordinal))),
            logged => logged, TimeSpan.FromSeconds(20), "the attempt to end");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(Host.Logs.Lines, line => line.Contains(nameof(DbUpdateConcurrencyException), StringComparison.Ordinal));
        Assert.Equal(0, await Host.InDatabase(db => db.WebhookDeliveries.CountAsync(d => d.EndpointId == Id(webhook))));
    }

    [Fact]
    public async Task Another_organisations_endpoint_and_events_not_subscribed_to_are_never_delivered()
    {
        var (orgId, admin) = Admin();
        var (otherOrg, otherAdmin) = Admin();
        var (url, otherUrl) = (Receiver.Endpoint(), Receiver.Endpoint());
        var webhook = await RegisterAsync(orgId, admin, url, ["MemberRemoved"]);
        var other = await RegisterAsync(otherOrg, otherAdmin, otherUrl, ["MemberRegistered", "MemberRemoved"]);

        await Host.PublishAsync(Registered(orgId));
        var memberId = Guid.NewGuid();
        await Host.PublishAsync(new MemberRemoved(orgId, memberId, 9, admin, Host.Time.GetUtcNow()));
        var received = await ReceivedAsync(url, 1);

        Assert.Equal(memberId, JsonDocument.Parse(Assert.Single(received).Body).RootElement.GetProperty("data").GetProperty("memberId").GetGuid());
        Assert.Empty(Receiver.ReceivedAt(otherUrl));
        Assert.Equal(0, await Host.InDatabase(db => db.WebhookDeliveries.CountAsync(d => d.EndpointId == Id(other))));
        Assert.Equal(1, await Host.InDatabase(db => db.WebhookDeliveries.CountAsync(d => d.EndpointId == Id(webhook))));
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_for_about_a_day_then_turned_off_and_the_admins_told()
    {
        var (orgId, admin) = Admin();
        var adminPhone = TestPhones.New();
        Host.Secrets.Add(adminPhone);
        PermissionStub.Admins(fixture.Permission, orgId, new AdminContact(admin, "amina", adminPhone));
        await Host.CreateOrganisationAsync();
        var url = Receiver.Endpoint(status: 503);
        var webhook = await RegisterAsync(orgId, admin, url, ["MemberRegistered"]);

        await Host.PublishAsync(Registered(orgId));
        var attempts = WebhookDelivery.RetryDelays.Count + 1;
        for (var attempt = 1; attempt < attempts; attempt++)
        {
            var recorded = attempt;
            await Eventually.Until(() => Host.InDatabase(db => db.WebhookDeliveries.Where(d => d.EndpointId == Id(webhook)).Select(d => d.Attempts).SingleOrDefaultAsync()),
                count => count == recorded, TimeSpan.FromSeconds(20), $"attempt {recorded} recorded");
            Host.Time.Advance(WebhookDelivery.RetryDelays[attempt - 1]);
        }

        var received = await ReceivedAsync(url, attempts);
        var told = await Host.EntriesTo(adminPhone, entries => entries.Count == 1, "the admin told of the webhook turned off");

        var endpoint = await GetAsync(orgId, admin, $"/api/webhooks/{Id(webhook)}");

        Assert.Equal(attempts, received.Count);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.InRange(WebhookDelivery.RetryDelays.Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay), TimeSpan.FromHours(20), TimeSpan.FromHours(30));
        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Equal("persistent_failure", endpoint.GetProperty("disabledReason").GetString());
        Assert.Equal(TemplateNames.WebhookDisabled, told[0].Template);
        Assert.Contains(new Uri(url).Host, told[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/hooks/", told[0].Body, StringComparison.Ordinal);

        // While it is off, events are kept but not sent; once back on, a replay since the outage sends both.
        await Host.PublishAsync(Registered(orgId));
        await Eventually.Until(() => Host.InDatabase(db => db.WebhookDeliveries.CountAsync(d => d.EndpointId == Id(webhook) && d.Status == WebhookDeliveryStatus.Skipped)),
            count => count == 1, what: "the event kept while the endpoint is off");
        Receiver.Answer(url, 204);
        using var client = Host.ClientFor(orgId, admin);
        var turnedOn = await client.PutAsJsonAsync($"/api/webhooks/{Id(webhook)}", new { url, eventTypes = new[] { "MemberRegistered" }, enabled = true });
        Assert.Equal(HttpStatusCode.OK, turnedOn.StatusCode);
        var replay = await client.PostAsJsonAsync($"/api/webhooks/{Id(webhook)}/replay", new { since = Host.Time.GetUtcNow().AddDays(-2) });

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(2, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        var afterReplay = await ReceivedAsync(url, attempts + 2);
        Assert.Contains(received[0].Id, afterReplay.Skip(attempts).Select(r => r.Id));
        var log = await GetAsync(orgId, admin, $"/api/webhooks/{Id(webhook)}/deliveries?status=succeeded");
        Assert.Equal(2, log.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task After_a_rotation_deliveries_carry_both_signatures_for_a_day_then_only_the_new_one()
    {
        var (orgId, admin) = Admin();
        var url = Receiver.Endpoint();
        var webhook = await RegisterAsync(orgId, admin, url, ["MemberRegistered"]);
        var oldSecret = webhook.GetProperty("secret").GetString()!;
        using var client = Host.ClientFor(orgId, admin);

        var rotation = await client.PostAsync($"/api/webhooks/{Id(webhook)}/rotate", null);
        var rotated = await rotation.Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        await Host.PublishAsync(Registered(orgId));
        var during = (await ReceivedAsync(url, 1))[0];
        Host.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await Host.PublishAsync(Registered(orgId));
        var after = (await ReceivedAsync(url, 2))[1];

        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(Host.Time.GetUtcNow().AddSeconds(-1), rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset());
        Assert.True(during.SignedWith(newSecret));
        Assert.True(during.SignedWith(oldSecret));
        Assert.True(during.Signature.Split(' ')[0] == new StandardWebhooks.StandardWebhook(newSecret).Sign(
            during.Id, DateTimeOffset.FromUnixTimeSeconds(long.Parse(during.Timestamp, System.Globalization.CultureInfo.InvariantCulture)), during.Body),
            "the new secret's signature comes first");
        Assert.True(after.SignedWith(newSecret));
        Assert.False(after.SignedWith(oldSecret));
        Assert.Single(after.Signature.Split(' '));
    }

    [Fact]
    public async Task One_delivery_is_replayed_with_its_webhook_id_and_not_once_its_payload_is_past_seven_days()
    {
        var (orgId, admin) = Admin();
        var url = Receiver.Endpoint();
        var webhook = await RegisterAsync(orgId, admin, url, ["MemberRegistered"]);
        await Host.PublishAsync(Registered(orgId));
        var original = (await ReceivedAsync(url, 1))[0];
        var deliveryId = (await GetAsync(orgId, admin, $"/api/webhooks/{Id(webhook)}/deliveries")).GetProperty("items")[0].GetProperty("id").GetGuid();
        using var client = Host.ClientFor(orgId, admin);

        var replay = await client.PostAsync($"/api/webhooks/{Id(webhook)}/deliveries/{deliveryId}/replay", null);
        var again = (await ReceivedAsync(url, 2))[1];
        // Recorded before the clock jumps: an attempt still being recorded would see its lease run out and go again.
        await Eventually.Until(() => Host.InDatabase(db => db.WebhookDeliveries.AnyAsync(d => d.EndpointId == Id(webhook) && d.Status == WebhookDeliveryStatus.Pending)),
            pending => !pending, what: "the replay recorded");
        Host.Time.Advance(TimeSpan.FromDays(8));
        await Eventually.Until(() => Host.InDatabase(db => db.WebhookDeliveries.AnyAsync(d => d.Id == deliveryId && d.Payload == null)),
            forgotten => forgotten, what: "the payload forgotten after seven days");
        var late = await client.PostAsync($"/api/webhooks/{Id(webhook)}/deliveries/{deliveryId}/replay", null);
        var sinceTooLong = await client.PostAsJsonAsync($"/api/webhooks/{Id(webhook)}/replay", new { since = Host.Time.GetUtcNow().AddDays(-8) });

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal((original.Id, original.Body), (again.Id, again.Body));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("replay_unavailable", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, sinceTooLong.StatusCode);
        Assert.Equal(2, Receiver.ReceivedAt(url).Count);
    }

    [Fact]
    public async Task Only_admins_manage_webhooks_and_bad_registrations_are_refused_with_nothing_stored()
    {
        var (orgId, admin) = Admin();
        var manager = Guid.NewGuid();
        PermissionStub.Answer(fixture.Permission, orgId, manager, allowed: true, isAdmin: false);
        using var asManager = Host.ClientFor(orgId, manager);
        using var asAdmin = Host.ClientFor(orgId, admin);
        var url = Receiver.Endpoint();

        var forbidden = await asManager.PostAsJsonAsync("/api/webhooks", new { url, eventTypes = new[] { "MemberRegistered" } });
        var approvals = await asAdmin.PostAsJsonAsync("/api/webhooks", new { url, eventTypes = new[] { "MemberApprovalRequested" } });
        var unknown = await asAdmin.PostAsJsonAsync("/api/webhooks", new { url, eventTypes = new[] { "SendOtp" } });
        var none = await asAdmin.PostAsJsonAsync("/api/webhooks", new { url, eventTypes = Array.Empty<string>() });
        var notUrl = await asAdmin.PostAsJsonAsync("/api/webhooks", new { url = "ftp://files.example.org/x", eventTypes = new[] { "MemberRegistered" } });
        var types = await asAdmin.GetFromJsonAsync<JsonElement>("/api/webhooks/event-types");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        foreach (var refused in new[] { approvals, unknown, none })
        {
            await ValidationProblems.DetailOfAsync(refused, "eventTypes");
            Assert.Contains((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject(),
                error => error.Name.Equals("eventTypes", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Contains("admins", await approvals.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("webhook_target_refused", (await notUrl.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, await Host.InDatabase(db => db.WebhookEndpoints.CountAsync(e => e.OrgId == orgId)));
        var names = types.GetProperty("items").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("MemberAccessChanged", names);
        Assert.Contains("InvitationAccepted", names);
        Assert.DoesNotContain("MemberApprovalRequested", names);
    }

    [Fact]
    public async Task An_admin_lists_changes_and_deletes_endpoints_and_the_secret_is_never_shown_again()
    {
        var (orgId, admin) = Admin();
        var url = Receiver.Endpoint();
        var webhook = await RegisterAsync(orgId, admin, url, ["MemberRegistered"], "CRM sync");
        using var client = Host.ClientFor(orgId, admin);

        var changed = await client.PutAsJsonAsync($"/api/webhooks/{Id(webhook)}", new { url, eventTypes = new[] { "MemberRemoved", "MemberAccessChanged" }, description = "Inbox" });
        var list = await client.GetFromJsonAsync<JsonElement>("/api/webhooks");
        var deleted = await client.DeleteAsync($"/api/webhooks/{Id(webhook)}");
        var gone = await client.GetAsync($"/api/webhooks/{Id(webhook)}");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var listed = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(["MemberAccessChanged", "MemberRemoved"], listed.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("Inbox", listed.GetProperty("description").GetString());
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.DoesNotContain(webhook.GetProperty("secret").GetString()!, list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private (Guid OrgId, Guid Admin) Admin()
    {
        var (orgId, admin) = (Guid.NewGuid(), Guid.NewGuid());
        PermissionStub.Answer(fixture.Permission, orgId, admin, allowed: true, isAdmin: true);
        return (orgId, admin);
    }

    private MemberRegistered Registered(Guid orgId)
    {
        var phone = TestPhones.New();
        Host.Secrets.Add(phone);
        return new MemberRegistered(orgId, Guid.NewGuid(), "amina", phone, MemberStatuses.Active, false, "staff", RegistrationRoutes.SelfRegistration,
            null, 7, Host.Time.GetUtcNow());
    }

    private async Task<JsonElement> RegisterAsync(Guid orgId, Guid admin, string url, string[] eventTypes, string? description = null)
    {
        using var client = Host.ClientFor(orgId, admin);
        var response = await client.PostAsJsonAsync("/api/webhooks", new { url, eventTypes, description });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> GetAsync(Guid orgId, Guid admin, string path)
    {
        using var client = Host.ClientFor(orgId, admin);
        return await client.GetFromJsonAsync<JsonElement>(path);
    }

    private Task<IReadOnlyList<WebhookReceiver.Received>> ReceivedAsync(string url, int count) =>
        Eventually.Until(() => Task.FromResult(Receiver.ReceivedAt(url)), received => received.Count >= count, TimeSpan.FromSeconds(20), $"{count} requests at the receiver");

    private static Guid Id(JsonElement webhook) => webhook.GetProperty("id").GetGuid();
}
