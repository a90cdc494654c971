using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>docs/product.md#flows through the gateway: creation, self-registration, first admins, approval, login, blocking.</summary>
[Collection(nameof(SystemCollection))]
public sealed class JoiningTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task The_first_two_members_are_admins_the_third_waits_for_approval_and_logs_in_once_approved()
    {
        var org = await _api.CreateOrganisationAsync();
        Assert.Equal(("active", true), (org.Creator.Status, org.Creator.IsAdmin));

        var second = await _api.RegisterAsync(org.Slug);
        Assert.Equal(("active", true), (second.Status, second.IsAdmin));

        var third = await _api.RegisterAsync(org.Slug);
        Assert.Equal(("pending_approval", false), (third.Status, third.IsAdmin));

        // Every active admin hears that someone waits.
        await _api.LatestMessageAsync(org.Creator.Phone, "approval_request");
        await _api.LatestMessageAsync(second.Phone, "approval_request");

        var refused = await _api.RequestTokenAsync(org.Slug, third.Phone);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("pending_approval", await OAuthErrorOf(refused));

        var groupId = await CreateGroupAsync(org.Creator, "Youth");
        var otherGroupId = await CreateGroupAsync(org.Creator, "Choir");
        var approval = await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{third.MemberId}/access",
            new { role = "staff", groupIds = new[] { groupId } });
        await Expect(approval, HttpStatusCode.OK);
        var approved = (await approval.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("member");
        Assert.Equal("active", approved.GetProperty("status").GetString());
        Assert.Equal("staff", approved.GetProperty("role").GetString());

        await _api.LatestMessageAsync(third.Phone, "approved");
        await _api.SignInAsync(third, org.Slug);
        var me = await _api.GetJson(third, "/api/me");
        Assert.Equal(("active", "staff"), (me.GetProperty("status").GetString(), me.GetProperty("role").GetString()));
        Assert.Equal([groupId], me.GetProperty("groupIds").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal("groups", me.GetProperty("permissions").GetProperty("message_inbox").GetProperty("scope").GetString());

        Assert.True(await CheckAsync(third, "message_inbox", [groupId]));
        Assert.False(await CheckAsync(third, "message_inbox", [otherGroupId]));
        Assert.False(await CheckAsync(third, "admin_settings", null));
    }

    [Fact]
    public async Task Blocking_with_none_refuses_login_and_kills_the_old_access_token_within_a_second()
    {
        var org = await _api.CreateOrganisationAsync();
        var member = await _api.MemberWithAccessAsync(org, new { role = "manager" });
        await _api.SignInAsync(member, org.Slug);
        await Expect(await _api.SendAs(member, HttpMethod.Get, "/api/me"), HttpStatusCode.OK);

        var block = await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access", new { role = "none" });
        await Expect(block, HttpStatusCode.OK);
        var blockedAt = Stopwatch.StartNew();
        Assert.Equal("blocked", (await block.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("member").GetProperty("status").GetString());

        await Eventually.Until(
            async () => (await _api.SendAs(member, HttpMethod.Get, "/api/me")).StatusCode,
            status => status == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1),
            "the gateway to refuse the blocked member's access token");
        Assert.True(blockedAt.Elapsed < TimeSpan.FromSeconds(1.5), $"refused after {blockedAt.ElapsedMilliseconds} ms");

        var login = await _api.RequestTokenAsync(org.Slug, member.Phone);
        Assert.Equal("access_blocked", await OAuthErrorOf(login));
        var refresh = await _api.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = member.RefreshToken!,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    [Fact]
    public async Task Twenty_simultaneous_verifications_give_exactly_the_configured_number_of_admins()
    {
        var org = await _api.CreateOrganisationAsync();
        var people = Enumerable.Range(0, 20).Select(i => (Username: $"racer-{i}", Phone: TestPhones.New())).ToList();
        var registrations = new List<(string Id, string Phone, string Username)>();
        foreach (var person in people)
        {
            registrations.Add((await _api.StartRegistrationAsync(org.Slug, person.Username, person.Phone), person.Phone, person.Username));
        }

        var codes = await Task.WhenAll(registrations.Select(r => _api.LatestCodeAsync(r.Phone)));
        using var start = new SemaphoreSlim(0);
        var verifications = registrations.Select(async (r, i) =>
        {
            await start.WaitAsync();
            var response = await _api.Gateway.PostAsJsonAsync($"/api/registrations/{r.Id}/verify", new { code = codes[i] });
            await Expect(response, HttpStatusCode.OK);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isAdmin").GetBoolean();
        }).ToList();
        start.Release(registrations.Count);
        var admins = (await Task.WhenAll(verifications)).Count(isAdmin => isAdmin);

        // autoAdminCount is 2 by default and the creator is the first.
        Assert.Equal(1, admins);
        var summary = await _api.GetJson(org.Creator, "/api/members/summary");
        Assert.Equal(19, summary.GetProperty("pendingApproval").GetInt32());
    }

    [Fact]
    public async Task Another_organisations_member_ids_answer_404_on_every_member_route()
    {
        var mine = await _api.CreateOrganisationAsync();
        var theirs = await _api.CreateOrganisationAsync();
        var stranger = theirs.Creator.MemberId;

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Get, $"/api/members/{stranger}", null),
                     (HttpMethod.Put, $"/api/members/{stranger}/access", new { role = "manager" }),
                     (HttpMethod.Delete, $"/api/members/{stranger}", null),
                     (HttpMethod.Get, $"/api/members/{stranger}/effective-permissions", null),
                 })
        {
            var response = await _api.SendAs(mine.Creator, method, path, body);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}");
            Assert.Equal("not_found", await CodeOf(response));
        }
    }

    private async Task<string> CreateGroupAsync(Member admin, string name)
    {
        var response = await _api.SendAs(admin, HttpMethod.Post, "/api/groups", new { name });
        await Expect(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<bool> CheckAsync(Member member, string permission, string[]? groupIds)
    {
        var response = await _api.SendAs(member, HttpMethod.Post, "/api/permissions/check", new { permission, groupIds });
        await Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowed").GetBoolean();
    }
}
