using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>A representative set of docs/permissions.md#check-semantics through the gateway, for members and for services.</summary>
[Collection(nameof(SystemCollection))]
public sealed class PermissionCheckTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task A_custom_member_gets_the_documented_reasons_for_a_representative_set_of_checks()
    {
        var (org, member, youth, choir) = await TeamWithCustomMemberAsync(new
        {
            message_inbox = new { scope = "groups", groupIds = new[] { "{youth}" } },
            broadcasts = new { scope = "groups", groupIds = new[] { "{youth}", "{choir}" } },
            people = new { scope = "groups", groupIds = new[] { "{youth}" } },
            keywords = "view",
            measure = true,
        });

        var cases = new (object Check, bool Allowed, string Reason)[]
        {
            (new { permission = "message_inbox", groupIds = new[] { youth } }, true, "granted"),
            (new { permission = "message_inbox", groupIds = new[] { youth, choir } }, false, "group_not_granted"),
            (new { permission = "message_inbox" }, false, "needs_all_groups"),
            (new { permission = "broadcasts", action = "send", groupIds = new[] { youth, choir } }, true, "granted"),
            (new { permission = "people", action = "export", groupIds = new[] { youth } }, true, "granted"),
            (new { permission = "people", action = "create", groupIds = new[] { youth } }, false, "needs_all_groups"),
            (new { permission = "people", action = "import", groupIds = new[] { youth } }, false, "needs_engage_settings"),
            (new { permission = "keywords", action = "view" }, true, "granted"),
            (new { permission = "keywords", action = "create" }, false, "level_too_low"),
            (new { permission = "measure" }, true, "granted"),
            (new { permission = "admin_settings" }, false, "not_granted"),
            (new { permission = "stories_inbox", groupIds = new[] { youth } }, false, "not_granted"),
        };
        foreach (var (check, allowed, reason) in cases)
        {
            var answer = await CheckAsync(member, check);
            Assert.True((allowed, reason) == (answer.GetProperty("allowed").GetBoolean(), answer.GetProperty("reason").GetString()),
                $"{JsonSerializer.Serialize(check)} answered {answer}");
        }

        var batch = await _api.SendAs(member, HttpMethod.Post, "/api/permissions/check-batch",
            new { checks = cases.Select(c => c.Check).ToArray() });
        await Expect(batch, HttpStatusCode.OK);
        var results = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(cases.Select(c => c.Allowed), results.Select(r => r.GetProperty("allowed").GetBoolean()));

        var filter = await _api.SendAs(member, HttpMethod.Post, "/api/permissions/filter",
            new { permission = "message_inbox", groupIds = new[] { choir, youth } });
        await Expect(filter, HttpStatusCode.OK);
        Assert.Equal([youth], (await filter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupIds").EnumerateArray().Select(g => g.GetString()));

        var unknown = await _api.SendAs(member, HttpMethod.Post, "/api/permissions/check", new { permission = "billing" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("validation_failed", await CodeOf(unknown));
        _ = org;
    }

    [Fact]
    public async Task A_service_with_client_credentials_asks_about_any_member_of_the_organisation_it_names()
    {
        var (org, member, youth, _) = await TeamWithCustomMemberAsync(new { message_inbox = new { scope = "groups", groupIds = new[] { "{youth}" } } });
        var token = await ServiceTokenAsync("permissions.check");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check")
        {
            Content = JsonContent.Create(new { orgId = org.OrgId, memberId = member.MemberId, permission = "message_inbox", groupIds = new[] { youth } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var answer = await _api.Gateway.SendAsync(request);

        await Expect(answer, HttpStatusCode.OK);
        Assert.True((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowed").GetBoolean());

        // The token is a service's: it opens no member routes.
        using var members = new HttpRequestMessage(HttpMethod.Get, "/api/members");
        members.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.Gateway.SendAsync(members)).StatusCode);
    }

    [Fact]
    public async Task A_non_admin_team_manager_cannot_grant_more_than_they_hold_nor_the_admin_toggle()
    {
        var (org, member, youth, choir) = await TeamWithCustomMemberAsync(new
        {
            admin_settings = true,
            message_inbox = new { scope = "groups", groupIds = new[] { "{youth}" } },
        });
        var newcomer = await _api.RegisterAsync(org.Slug);

        var wider = await _api.SendAs(member, HttpMethod.Put, $"/api/members/{newcomer.MemberId}/access",
            new { role = "staff", groupIds = new[] { youth, choir } });
        var toggle = await _api.SendAs(member, HttpMethod.Put, $"/api/members/{newcomer.MemberId}/access", new { role = "admin" });
        var adminsAccess = await _api.SendAs(member, HttpMethod.Put, $"/api/members/{org.Creator.MemberId}/access", new { role = "staff" });
        var within = await _api.SendAs(member, HttpMethod.Put, $"/api/members/{newcomer.MemberId}/access",
            new { role = "staff", groupIds = new[] { youth } });

        Assert.Equal(("escalation", "escalation", "escalation"), (await CodeOf(wider), await CodeOf(toggle), await CodeOf(adminsAccess)));
        await Expect(within, HttpStatusCode.OK);
    }

    /// <summary>An organisation (creator + a second admin), two groups, and a member with the given custom set.</summary>
    private async Task<(TeamPlatformClient.Org Org, Member Member, string Youth, string Choir)> TeamWithCustomMemberAsync(object permissions)
    {
        var org = await _api.CreateOrganisationAsync();
        await _api.RegisterAsync(org.Slug);
        var member = await _api.RegisterAsync(org.Slug);
        var youth = await CreateGroupAsync(org.Creator, "Youth");
        var choir = await CreateGroupAsync(org.Creator, "Choir");
        var document = JsonSerializer.Serialize(permissions).Replace("{youth}", youth).Replace("{choir}", choir);
        var response = await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access",
            new { role = "custom", permissions = JsonDocument.Parse(document).RootElement });
        await Expect(response, HttpStatusCode.OK);
        await _api.SignInAsync(member, org.Slug);
        return (org, member, youth, choir);
    }

    private async Task<string> CreateGroupAsync(Member admin, string name)
    {
        var response = await _api.SendAs(admin, HttpMethod.Post, "/api/groups", new { name });
        await Expect(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> CheckAsync(Member member, object check)
    {
        var response = await _api.SendAs(member, HttpMethod.Post, "/api/permissions/check", check);
        await Expect(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string> ServiceTokenAsync(string scope)
    {
        var response = await _api.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "dev-service",
            ["client_secret"] = SystemFixture.ServiceClientSecret,
            ["scope"] = scope,
        }));
        await Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
