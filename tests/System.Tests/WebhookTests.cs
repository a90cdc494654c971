using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;
using Xunit.Abstractions;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>
/// Webhooks through the gateway (docs/webhooks.md): an admin registers an endpoint, people join and are approved, and the
/// organisation's receiver gets each event once, signed so that the Standard Webhooks library accepts it, and nothing of
/// the other organisations the suite creates meanwhile.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class WebhookTests(EveryProcessTwiceSystemFixture system, ITestOutputHelper output)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task An_admin_registers_an_endpoint_and_the_receiver_gets_the_organisations_joins_and_approvals_signed()
    {
        await using var receiver = await SignedWebhookReceiver.StartAsync();
        var org = await _api.CreateOrganisationAsync();
        var registration = await _api.SendAs(org.Creator, HttpMethod.Post, "/api/webhooks",
            new { url = receiver.Url, eventTypes = new[] { "MemberRegistered", "MemberAccessChanged" }, description = "Inbox sync" });
        await Expect(registration, HttpStatusCode.Created);
        var webhook = await registration.Content.ReadFromJsonAsync<JsonElement>();
        receiver.Secret = webhook.GetProperty("secret").GetString();
        var webhookId = webhook.GetProperty("id").GetGuid();

        var secondAdmin = await _api.RegisterAsync(org.Slug);
        var joiner = await _api.RegisterAsync(org.Slug);
        await Expect(await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{joiner.MemberId}/access", new { role = "staff" }), HttpStatusCode.OK);

        var received = await Eventually.Until(
            () => Task.FromResult(receiver.All),
            all => all.Any(r => r.Type == "MemberAccessChanged" && r.Data.GetProperty("memberId").GetGuid() == joiner.MemberId)
                   && all.Count(r => r.Type == "MemberRegistered") == 2,
            TimeSpan.FromSeconds(30),
            "the joins and the approval at the receiver");
        foreach (var delivery in received)
        {
            output.WriteLine($"{delivery.Type} {delivery.Id}: {(delivery.Verified ? "verified" : delivery.Refusal)}, " +
                             $"{(delivery.At - delivery.Body.GetProperty("timestamp").GetDateTimeOffset()).TotalMilliseconds:F0} ms after it occurred");
        }

        Assert.All(received, r => Assert.True(r.Verified, r.Refusal));
        Assert.All(received, r => Assert.Equal(org.OrgId, r.Data.GetProperty("orgId").GetGuid()));
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        Assert.Equal(new[] { secondAdmin.MemberId, joiner.MemberId }.Order(),
            received.Where(r => r.Type == "MemberRegistered").Select(r => r.Data.GetProperty("memberId").GetGuid()).Order());
        var approval = received.Single(r => r.Type == "MemberAccessChanged" && r.Data.GetProperty("memberId").GetGuid() == joiner.MemberId);
        Assert.Equal(("active", "pending_approval"), (approval.Data.GetProperty("status").GetString(), approval.Data.GetProperty("previousStatus").GetString()));

        var log = await Eventually.Until(
            () => _api.GetJson(org.Creator, $"/api/webhooks/{webhookId}/deliveries?status=succeeded"),
            page => page.GetProperty("total").GetInt32() == received.Count,
            TimeSpan.FromSeconds(10),
            "every delivery logged as succeeded");
        Assert.All(log.GetProperty("items").EnumerateArray(), d => Assert.Equal(204, d.GetProperty("lastResponseStatus").GetInt32()));
        var manager = await _api.MemberWithAccessAsync(org, new { role = "manager" });
        await _api.SignInAsync(manager, org.Slug);
        var refused = await _api.SendAs(manager, HttpMethod.Get, "/api/webhooks");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
