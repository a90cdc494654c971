using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>
/// The seams of two of every process, seen from outside: work that two instances share is done once, and the calls of one
/// service to another reach every instance of the callee. (A block seen through both gateways and a rate limit across
/// both are Gateway.Tests'; one gateway of two killed mid-load is <see cref="EveryProcessTwiceTests"/>'.)
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class SeamTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task Forty_invitations_sent_at_once_reach_the_provider_once_each_with_both_notification_workers_running()
    {
        var org = await _api.CreateOrganisationAsync();
        var phones = Enumerable.Range(0, 40).Select(_ => TestPhones.New()).ToList();
        var linesBefore = system.Logs.Count;

        var invited = await Task.WhenAll(phones.Select(phone =>
            _api.SendAs(org.Creator, HttpMethod.Post, "/api/invitations", new { phone, access = new { role = "staff" } })));
        foreach (var response in invited)
        {
            await Expect(response, HttpStatusCode.Created);
        }

        // The development channel's inbox is what the provider was handed: one message per phone, however long we look.
        foreach (var phone in phones)
        {
            await _api.LatestMessageAsync(phone, "invitation");
        }

        var entries = await Eventually.Until(
            () => InvitationDeliveriesAsync(org.Creator),
            found => found.Count >= phones.Count && found.All(e => e.GetProperty("status").GetString() is "sent" or "delivered"),
            TimeSpan.FromSeconds(30),
            "every invitation's delivery to be sent");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a second worker sending one again would have done it by now
        foreach (var phone in phones)
        {
            var inbox = await _api.Gateway.GetFromJsonAsync<JsonElement>($"/api/dev/notifications?to={Uri.EscapeDataString(phone)}");
            Assert.Single(inbox.EnumerateArray(), m => m.GetProperty("template").GetString() == "invitation");
        }

        entries = await InvitationDeliveriesAsync(org.Creator);
        Assert.Equal(phones.Order(), entries.Select(e => e.GetProperty("to").GetString()!).Order());
        Assert.All(entries, e => Assert.Equal(1, e.GetProperty("attempts").GetInt32()));

        // Each entry was attempted by exactly one of the two instances, and both took their share.
        var attempts = system.Logs.Skip(linesBefore)
            .Where(l => l.Resource.StartsWith(ServiceNames.Notification, StringComparison.Ordinal) && l.Line.Contains("Attempt ", StringComparison.Ordinal))
            .ToList();
        var byInstance = new Dictionary<string, int>();
        foreach (var id in entries.Select(e => e.GetProperty("id").GetString()!))
        {
            var lines = attempts.Where(l => l.Line.Contains($" of {id} ", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(lines.Count == 1, $"{id} attempted {lines.Count} times: {string.Join(" | ", lines)}");
            byInstance[lines[0].Resource] = byInstance.GetValueOrDefault(lines[0].Resource) + 1;
        }

        Assert.Equal(system.InstancesNamed(ServiceNames.Notification).Order(), byInstance.Keys.Order());
    }

    [Fact]
    public async Task Aged_invitations_expire_once_each_with_both_invitation_instances_sweeping()
    {
        var org = await _api.CreateOrganisationAsync();
        var phones = Enumerable.Range(0, 12).Select(_ => TestPhones.New()).ToList();
        var ids = new List<Guid>();
        foreach (var phone in phones)
        {
            var response = await _api.SendAs(org.Creator, HttpMethod.Post, "/api/invitations", new { phone, access = new { role = "staff" } });
            await Expect(response, HttpStatusCode.Created);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            await _api.LatestMessageAsync(phone, "invitation");
        }

        await using var bus = await TestBus.StartAsync(system.BrokerAddress, subscribe => subscribe.Event<InvitationExpired>());
        await system.ExecuteSqlAsync("invitation",
            "update invitations set expires_at = now() - interval '1 hour', created_at = now() - interval '31 days' where org_id = @p0", org.OrgId);

        await bus.WaitFor<InvitationExpired>(e => e.OrgId == org.OrgId, count: ids.Count);
        // Both instances sweep every interval: a few more sweeps of each would announce anything announced twice.
        await Task.Delay(EveryProcessTwiceSystemFixture.ExpirySweepInterval * 3);
        var announced = bus.Received<InvitationExpired>(e => e.OrgId == org.OrgId);
        Assert.Equal(ids.Order(), announced.Select(e => e.InvitationId).Order());

        var expired = await _api.GetJson(org.Creator, "/api/invitations?status=expired");
        Assert.Equal(ids.Count, expired.GetProperty("total").GetInt32());
        var pending = await _api.GetJson(org.Creator, "/api/invitations?status=pending");
        Assert.Equal(0, pending.GetProperty("total").GetInt32());
        // An expiry sends nobody anything: each phone still holds its one invitation message.
        foreach (var phone in phones)
        {
            var inbox = await _api.Gateway.GetFromJsonAsync<JsonElement>($"/api/dev/notifications?to={Uri.EscapeDataString(phone)}");
            Assert.Single(inbox.EnumerateArray());
        }
    }

    [Fact]
    public async Task Calls_from_one_service_to_another_are_answered_by_every_instance_of_the_callee()
    {
        var linesBefore = system.Logs.Count;
        var org = await _api.CreateOrganisationAsync();
        // Each registration: identity → permission (POST /internal/members); each sign-in: identity → permission
        // (GET /internal/orgs/…/members/…); each invitation: invitation → permission (invitation-checks); each
        // registration through an invitation: identity → invitation (validate, accept).
        var members = new List<Member>();
        for (var i = 0; i < 6; i++)
        {
            members.Add(await _api.RegisterAsync(org.Slug));
        }

        // The creator and the first to register are admins; the rest wait for approval and cannot sign in.
        await _api.SignInAsync(members[0], org.Slug);
        await _api.SignInAsync(org.Creator, org.Slug);
        // Each callee is chosen at random or in turn, so enough calls that one instance answering all of them is
        // a defect, not chance (2 instances, 10 calls: 1 in 512).
        for (var i = 0; i < 10; i++)
        {
            var phone = TestPhones.New();
            var invited = await _api.SendAs(org.Creator, HttpMethod.Post, "/api/invitations", new { phone, access = new { role = "staff" } });
            await Expect(invited, HttpStatusCode.Created);
            var link = (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("link").GetString()!;
            await _api.RegisterAsync(org.Slug, phone: phone, invitationToken: link[(link.LastIndexOf('/') + 1)..]);
        }

        // The gateway's own routes to a service: the checks of a signed-in member.
        for (var i = 0; i < 20; i++)
        {
            await Expect(await _api.SendAs(members[0], HttpMethod.Post, "/api/permissions/check", new { permission = "admin_settings" }), HttpStatusCode.OK);
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // lines still on their way out of the processes
        var executed = system.Logs.Skip(linesBefore).Where(l => l.Line.Contains("Executing endpoint", StringComparison.Ordinal)).ToList();
        foreach (var (callee, route) in new[]
                 {
                     (ServiceNames.Permission, "/internal/members"),
                     (ServiceNames.Permission, "/internal/orgs/{orgId:guid}/invitation-checks"),
                     (ServiceNames.Invitation, "/internal/invitations/validate"),
                     (ServiceNames.Invitation, "/internal/invitations/accept"),
                     (ServiceNames.Permission, "/api/permissions/check"),
                 })
        {
            // The line names the route pattern: "Executing endpoint 'HTTP: POST /internal/members => HandleAsync'".
            var answeredBy = executed.Where(l => l.Line.Contains($" {route} =>", StringComparison.Ordinal))
                .Select(l => l.Resource).Distinct().Order().ToList();
            Assert.True(system.InstancesNamed(callee).Order().SequenceEqual(answeredBy),
                $"{route} answered by {string.Join(", ", answeredBy)}; {executed.Count} endpoint lines, e.g. {executed.FirstOrDefault().Line}");
        }
    }

    private async Task<List<JsonElement>> InvitationDeliveriesAsync(Member admin)
    {
        var page = await _api.GetJson(admin, "/api/notifications?type=invitation&pageSize=200");
        return page.GetProperty("items").EnumerateArray().ToList();
    }
}
