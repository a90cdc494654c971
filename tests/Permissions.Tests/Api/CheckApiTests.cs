using System.Net;
using System.Net.Http.Json;
using TeamPlatform.Contracts.V1;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>The check API as members and other services call it: docs/permissions.md#check-semantics by examples, revisions, batches, filters.</summary>
[Collection(nameof(PermissionCollection))]
public sealed class CheckApiTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task A_member_checks_their_own_permissions_and_gets_reason_and_revision()
    {
        var team = await Team.CreateAsync(_host);
        var youth = await team.GroupAsync();
        var leaders = await team.GroupAsync();
        var member = await team.MemberAsync(new
        {
            role = "custom",
            permissions = new Dictionary<string, object>
            {
                ["broadcasts"] = new { scope = "groups", groupIds = new[] { youth } },
                ["people"] = new { scope = "groups", groupIds = new[] { youth } },
                ["keywords"] = "view",
            },
        });
        var client = team.As(member);

        async Task<(bool, string?)> Check(object check)
        {
            var answer = await client.CheckAsync(check);
            Assert.Equal(2, answer.GetProperty("revision").GetInt64());
            return (answer.GetProperty("allowed").GetBoolean(), answer.GetProperty("reason").GetString());
        }

        Assert.Equal((true, "granted"), await Check(new { permission = "broadcasts", action = "send", groupIds = new[] { youth } }));
        Assert.Equal((false, "group_not_granted"), await Check(new { permission = "broadcasts", action = "send", groupIds = new[] { youth, leaders } }));
        Assert.Equal((false, "needs_all_groups"), await Check(new { permission = "broadcasts", groupIds = Array.Empty<Guid>() }));
        Assert.Equal((false, "needs_all_groups"), await Check(new { permission = "people", action = "create" }));
        Assert.Equal((false, "needs_engage_settings"), await Check(new { permission = "people", action = "import", groupIds = new[] { youth } }));
        Assert.Equal((true, "granted"), await Check(new { permission = "keywords" }));
        Assert.Equal((false, "level_too_low"), await Check(new { permission = "keywords", action = "create" }));
        Assert.Equal((false, "not_granted"), await Check(new { permission = "measure" }));
        Assert.Equal((true, "admin"), (await team.Admin.CheckAsync(new { permission = "admin_settings" })) is var a ? (a.GetProperty("allowed").GetBoolean(), a.GetProperty("reason").GetString()) : default);
    }

    [Fact]
    public async Task A_member_cannot_ask_about_someone_else()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });

        var other = await team.As(member).PostAsJsonAsync("/api/permissions/check", new { memberId = team.AdminId, permission = "measure" });
        var otherOrg = await team.As(member).PostAsJsonAsync("/api/permissions/check", new { orgId = Guid.NewGuid(), permission = "measure" });
        var self = await team.As(member).PostAsJsonAsync("/api/permissions/check", new { memberId = member, permission = "message_inbox" });

        Assert.Equal("forbidden", await other.Problem(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await otherOrg.Problem(HttpStatusCode.Forbidden));
        Assert.True((await self.Json()).GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task A_service_with_the_scope_asks_about_any_member_of_the_organisation_it_names()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "manager" });
        using var inbox = _host.ServiceClient("permissions.check");
        using var unscoped = _host.ServiceClient("profile");

        var answer = await inbox.CheckAsync(new { orgId = team.OrgId, memberId = member, permission = "surveys", action = "create" });
        var withoutScope = await unscoped.PostAsJsonAsync("/api/permissions/check", new { orgId = team.OrgId, memberId = member, permission = "surveys" });
        var withoutOrg = await inbox.PostAsJsonAsync("/api/permissions/check", new { memberId = member, permission = "surveys" });
        var wrongOrg = await inbox.PostAsJsonAsync("/api/permissions/check", new { orgId = Guid.NewGuid(), memberId = member, permission = "surveys" });
        var anotherTeam = await Team.CreateAsync(_host);
        var crossTenant = await inbox.PostAsJsonAsync("/api/permissions/check", new { orgId = anotherTeam.OrgId, memberId = member, permission = "surveys" });

        Assert.True(answer.GetProperty("allowed").GetBoolean());
        Assert.Equal("forbidden", await withoutScope.Problem(HttpStatusCode.Forbidden));
        Assert.Equal("validation_failed", await withoutOrg.Problem(HttpStatusCode.BadRequest));
        Assert.Equal("not_found", await wrongOrg.Problem(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await crossTenant.Problem(HttpStatusCode.NotFound));
    }

    public static TheoryData<string> BadChecks => new()
    {
        """{"permission": "billing"}""",
        """{"permission": "measure", "action": "view"}""",
        """{"permission": "message_inbox", "action": "send"}""",
        """{"permission": "people", "action": "delete"}""",
        """{"permission": "keywords", "groupIds": []}""",
        """{"permission": "measure", "conversationId": "c-1"}""",
        """{"permission": "explorer_conversations", "conversationId": ""}""",
        """{"permission": "message_inbox", "minRevision": -1}""",
        """{"permission": "message_inbox", "groupIds": ["not-a-guid"]}""",
        """{"permission": "message_inbox", "colour": "red"}""",
        """{"permission": 5}""",
        """{"permission": "message_inbox" """,
        """{}""",
    };

    [Theory]
    [MemberData(nameof(BadChecks))]
    public async Task Checks_that_make_no_sense_are_a_400(string json)
    {
        var team = await Team.CreateAsync(_host);

        var response = await team.Admin.PostJsonAsync("/api/permissions/check", json);

        Assert.Equal("validation_failed", await response.Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_batch_answers_up_to_a_thousand_checks_in_order()
    {
        var team = await Team.CreateAsync(_host);
        var youth = await team.GroupAsync();
        var staff = await team.MemberAsync(new { role = "staff", groupIds = new[] { youth } });
        using var inbox = _host.ServiceClient("permissions.check");
        var checks = Enumerable.Range(0, 1000).Select(i => i % 2 == 0
            ? (object)new { orgId = team.OrgId, memberId = staff, permission = "message_inbox", groupIds = new[] { youth } }
            : new { orgId = team.OrgId, memberId = team.AdminId, permission = "measure" }).ToList();

        var response = await inbox.PostAsJsonAsync("/api/permissions/check-batch", new { checks });
        var tooMany = await inbox.PostAsJsonAsync("/api/permissions/check-batch", new { checks = checks.Append(checks[0]) });
        var mixedOrgs = await inbox.PostAsJsonAsync("/api/permissions/check-batch", new
        {
            checks = new[] { new { orgId = team.OrgId, memberId = staff, permission = "measure" }, new { orgId = Guid.NewGuid(), memberId = staff, permission = "measure" } },
        });
        var oneBad = await inbox.PostAsJsonAsync("/api/permissions/check-batch", new
        {
            checks = new[] { new { orgId = team.OrgId, memberId = staff, permission = "measure" }, new { orgId = team.OrgId, memberId = staff, permission = "billing" } },
        });

        var body = await response.Json();
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(1000, results.Count);
        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal("granted", r.GetProperty("reason").GetString()));
        Assert.All(results.Where((_, i) => i % 2 == 1), r => Assert.Equal("admin", r.GetProperty("reason").GetString()));
        Assert.Equal(2, body.GetProperty("revision").GetInt64());
        Assert.Equal("validation_failed", await tooMany.Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await mixedOrgs.Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await oneBad.Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_filter_keeps_the_groups_the_member_may_act_on()
    {
        var team = await Team.CreateAsync(_host);
        var youth = await team.GroupAsync();
        var leaders = await team.GroupAsync();
        var choir = await team.GroupAsync();
        var member = await team.MemberAsync(new { role = "custom", permissions = new { people = new { scope = "groups", groupIds = new[] { youth, choir } } } });

        var view = await (await team.As(member).PostAsJsonAsync("/api/permissions/filter", new { permission = "people", groupIds = new[] { leaders, choir, youth } })).Json();
        var create = await (await team.As(member).PostAsJsonAsync("/api/permissions/filter", new { permission = "people", action = "create", groupIds = new[] { youth } })).Json();
        var toggle = await team.As(member).PostAsJsonAsync("/api/permissions/filter", new { permission = "measure", groupIds = new[] { youth } });

        Assert.Equal([choir, youth], view.GetProperty("groupIds").EnumerateArray().Select(g => g.GetGuid()));
        Assert.Empty(create.GetProperty("groupIds").EnumerateArray());
        Assert.Equal("validation_failed", await toggle.Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Conversation_visibility_narrows_explorer_conversations()
    {
        var team = await Team.CreateAsync(_host);
        var seen = await team.MemberAsync(new { role = "manager" });
        var hidden = await team.MemberAsync(new { role = "manager" });
        var staff = await team.MemberAsync(new { role = "staff" });
        const string conversation = "whatsapp:+254711000000/2026-01-05";
        var uri = $"/api/conversations/{Uri.EscapeDataString(conversation)}/visibility";
        async Task<string?> Reason(Guid member) =>
            (await team.As(member).CheckAsync(new { permission = "explorer_conversations", conversationId = conversation })).GetProperty("reason").GetString();

        var set = await (await team.Admin.PutAsJsonAsync(uri, new { allowMemberIds = new[] { seen, staff } })).Json();

        Assert.Equal("granted", await Reason(seen));
        Assert.Equal("conversation_denied", await Reason(hidden));
        Assert.Equal("not_granted", await Reason(staff));
        Assert.Equal("admin", await Reason(team.AdminId));
        Assert.Equal(set.GetProperty("revision").GetInt64(), (await _host.Bus.WaitFor<ConversationVisibilityChanged>(e => e.ConversationId == conversation)).Revision);
        var shown = await (await team.Admin.GetAsync(uri)).Json();
        Assert.Equal(2, shown.GetProperty("allowMemberIds").GetArrayLength());

        var deny = await team.Admin.PutAsJsonAsync(uri, new { denyMemberIds = new[] { seen } });
        Assert.Equal(HttpStatusCode.OK, deny.StatusCode);
        Assert.Equal("conversation_denied", await Reason(seen));
        Assert.Equal("granted", await Reason(hidden));

        var cleared = await (await team.Admin.DeleteAsync(uri)).Json();
        Assert.Equal("granted", await Reason(seen));
        Assert.Equal(cleared.GetProperty("revision").GetInt64(), (await (await team.Admin.DeleteAsync(uri)).Json()).GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task Conversation_visibility_is_managed_by_admins_or_explorer_conversations_with_admin_settings()
    {
        var team = await Team.CreateAsync(_host);
        var manager = await team.MemberAsync(new { role = "manager" });
        var lead = await team.MemberAsync(new { role = "custom", permissions = new { explorer_conversations = true, admin_settings = true } });
        const string uri = "/api/conversations/c-42/visibility";

        Assert.Equal("forbidden", await (await team.As(manager).PutAsJsonAsync(uri, new { denyMemberIds = new[] { lead } })).Problem(HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.OK, (await team.As(lead).PutAsJsonAsync(uri, new { denyMemberIds = new[] { manager } })).StatusCode);
        Assert.Equal("validation_failed", await (await team.Admin.PutAsJsonAsync(uri, new { allowMemberIds = new[] { lead }, denyMemberIds = new[] { manager } })).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.PutAsJsonAsync(uri, new { })).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.PutAsJsonAsync(uri, new { denyMemberIds = new[] { Guid.NewGuid() } })).Problem(HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await (await team.Admin.PutAsJsonAsync($"/api/conversations/{new string('c', 201)}/visibility", new { denyMemberIds = new[] { lead } })).Problem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Every_change_answers_a_new_revision_and_a_check_never_answers_from_older_state()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var before = await team.As(member).CheckAsync(new { permission = "surveys" });

        var change = await (await team.Admin.PutAsJsonAsync($"/api/members/{member}/access", new { role = "manager" })).Json();
        var revision = change.GetProperty("revision").GetInt64();
        var after = await team.As(member).CheckAsync(new { permission = "surveys", minRevision = revision });

        Assert.Equal(before.GetProperty("revision").GetInt64() + 1, revision);
        Assert.False(before.GetProperty("allowed").GetBoolean());
        Assert.True(after.GetProperty("allowed").GetBoolean());
        Assert.True(after.GetProperty("revision").GetInt64() >= revision);
    }

    [Fact]
    public async Task A_member_created_after_the_snapshot_is_found_and_a_stranger_is_not()
    {
        var team = await Team.CreateAsync(_host);
        using var inbox = _host.ServiceClient("permissions.check");
        await inbox.CheckAsync(new { orgId = team.OrgId, memberId = team.AdminId, permission = "measure" });

        var newcomer = await team.MemberAsync(new { role = "manager" });
        var answer = await inbox.CheckAsync(new { orgId = team.OrgId, memberId = newcomer, permission = "measure" });
        var stranger = await inbox.PostAsJsonAsync("/api/permissions/check", new { orgId = team.OrgId, memberId = Guid.NewGuid(), permission = "measure" });

        Assert.True(answer.GetProperty("allowed").GetBoolean());
        Assert.Equal("not_found", await stranger.Problem(HttpStatusCode.NotFound));
    }
}
