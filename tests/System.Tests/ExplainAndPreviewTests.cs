using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>
/// docs/permissions.md#explain and docs/permissions.md#preview through the gateway: an explanation answers what the check
/// answers with the evaluator's steps in words, and a preview says what an access change would gain, lose or be refused
/// with, saving nothing.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class ExplainAndPreviewTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task An_explanation_gives_the_checks_answer_and_names_the_groups_it_looked_at()
    {
        var (org, _, youth, choir, leaders) = await TeamAsync();
        var amina = await _api.MemberWithAccessAsync(org, new { role = "staff", groupIds = new[] { youth, choir } }, "amina");
        await _api.SignInAsync(amina, org.Slug);

        var notCovered = await ExplainAsync(org.Creator, amina.MemberId, $"permission=message_inbox&groupId={youth}&groupId={leaders}");
        Assert.Equal((false, "group_not_granted"), Answer(notCovered));
        Assert.Equal(["member_active", "admin_off", "role", "scope_groups", "groups_not_covered", "denied"], Codes(notCovered));
        var texts = Texts(notCovered);
        Assert.Contains("amina's message_inbox grant covers the groups Choir, Youth.", texts);
        Assert.Contains("The check asked about the groups Youth, Leaders; the grant does not cover the group Leaders.", texts);
        Assert.DoesNotContain(texts, text => text.Contains(amina.Phone, StringComparison.Ordinal) || text.Contains(amina.Phone.TrimStart('+'), StringComparison.Ordinal));

        // The member asks about themselves; the reason is the check's for the same question.
        var questions = new (string Query, object Check)[]
        {
            ($"permission=message_inbox&groupId={youth}", new { permission = "message_inbox", groupIds = new[] { youth } }),
            ($"permission=message_inbox&groupId={leaders}", new { permission = "message_inbox", groupIds = new[] { leaders } }),
            ("permission=message_inbox", new { permission = "message_inbox" }),
            ("permission=broadcasts&action=send", new { permission = "broadcasts", action = "send" }),
            ("permission=keywords&action=create", new { permission = "keywords", action = "create" }),
            ("permission=admin_settings", new { permission = "admin_settings" }),
        };
        foreach (var (query, check) in questions)
        {
            var explained = await ExplainAsync(amina, amina.MemberId, query);
            var checkedAnswer = await CheckAsync(amina, check);
            Assert.True(
                Answer(explained) == (checkedAnswer.GetProperty("allowed").GetBoolean(), checkedAnswer.GetProperty("reason").GetString()),
                $"{query}: explain {explained}, check {checkedAnswer}");
        }

        var notGranted = await ExplainAsync(amina, amina.MemberId, "permission=admin_settings");
        Assert.Equal(["member_active", "admin_off", "role", "toggle_off", "denied"], Codes(notGranted));
        Assert.Equal("Denied: not_granted.", Texts(notGranted)[^1]);
    }

    [Fact]
    public async Task Admins_blocked_members_and_conversation_overrides_are_explained_and_only_to_those_allowed()
    {
        var (org, member, youth, _, _) = await TeamAsync();
        var staff = await _api.MemberWithAccessAsync(org, new { role = "staff" }, "kofi");
        await _api.SignInAsync(staff, org.Slug);

        var admin = await ExplainAsync(org.Creator, org.Creator.MemberId, $"permission=people&action=import&groupId={youth}");
        Assert.Equal((true, "admin"), Answer(admin));
        Assert.Equal(["member_active", "admin_on", "allowed"], Codes(admin));

        var hidden = Uri.EscapeDataString("whatsapp:explain-" + Guid.NewGuid().ToString("N")[..8]);
        var hide = await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/conversations/{hidden}/visibility",
            new { denyMemberIds = new[] { member.MemberId } });
        await Expect(hide, HttpStatusCode.OK);
        var hiddenAt = (await hide.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt64();
        var denied = await ExplainAsync(org.Creator, member.MemberId, $"permission=explorer_conversations&conversationId={hidden}&minRevision={hiddenAt}");
        Assert.Equal((false, "conversation_denied"), Answer(denied));
        Assert.Equal("conversation_excludes", Codes(denied)[^2]);
        Assert.Equal(Answer(denied), Answer(await CheckAsync(member,
            new { permission = "explorer_conversations", conversationId = Uri.UnescapeDataString(hidden), minRevision = hiddenAt })));

        // Whichever replica answers, minRevision makes the explanation reflect the block.
        var block = await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access", new { role = "none" });
        await Expect(block, HttpStatusCode.OK);
        var blockedAt = (await block.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt64();
        var blocked = await ExplainAsync(org.Creator, member.MemberId, $"permission=explorer_conversations&minRevision={blockedAt}");
        Assert.True(blocked.GetProperty("revision").GetInt64() >= blockedAt);
        Assert.Equal((false, "inactive"), Answer(blocked));
        Assert.Equal(["member_inactive", "denied"], Codes(blocked));
        Assert.StartsWith("custom-member is blocked", Texts(blocked)[0], StringComparison.Ordinal);

        // A staff member explains their own answers, never another member's.
        await Expect(await _api.SendAs(staff, HttpMethod.Get, $"/api/members/{staff.MemberId}/explain?permission=message_inbox"), HttpStatusCode.OK);
        var other = await _api.SendAs(staff, HttpMethod.Get, $"/api/members/{org.Creator.MemberId}/explain?permission=message_inbox");
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (other.StatusCode, await CodeOf(other)));

        var invalid = await _api.SendAs(staff, HttpMethod.Get, $"/api/members/{staff.MemberId}/explain?permission=measure&groupId={youth}");
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (invalid.StatusCode, await CodeOf(invalid)));
        var unknown = await _api.SendAs(org.Creator, HttpMethod.Get, $"/api/members/{Guid.NewGuid()}/explain?permission=measure");
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.StatusCode, await CodeOf(unknown)));
    }

    [Fact]
    public async Task A_preview_shows_gains_and_losses_by_group_name_and_saves_nothing()
    {
        var (org, _, youth, choir, leaders) = await TeamAsync();
        var kofi = await _api.MemberWithAccessAsync(org, new { role = "staff", groupIds = new[] { youth, choir } }, "kofi");
        var before = await _api.GetJson(org.Creator, $"/api/members/{kofi.MemberId}");
        var revision = await RevisionAsync(org.Creator);
        var audit = (await _api.GetJson(org.Creator, $"/api/audit?memberId={kofi.MemberId}")).GetProperty("total").GetInt32();

        var toManager = await PreviewAsync(org.Creator, kofi.MemberId, new { role = "manager" });
        Assert.Equal(JsonValueKind.Null, toManager.GetProperty("refusal").ValueKind);
        var gains = Items(toManager, "gains");
        Assert.Contains("permission message_inbox all", gains);
        Assert.Contains("permission keywords none→create", gains);
        Assert.Contains("permission measure", gains);
        Assert.DoesNotContain(gains, item => item.Contains("admin_settings", StringComparison.Ordinal));
        Assert.Empty(Items(toManager, "losses"));

        var regroup = await PreviewAsync(org.Creator, kofi.MemberId, new { role = "staff", groupIds = new[] { choir, leaders } });
        Assert.Equal(["permission message_inbox groups Leaders"], Items(regroup, "gains"));
        Assert.Equal(["permission message_inbox groups Youth"], Items(regroup, "losses"));

        var toAdmin = await PreviewAsync(org.Creator, kofi.MemberId, new { role = "admin" });
        Assert.Equal("admin", Items(toAdmin, "gains")[0]);

        // Nothing of it was saved: the member, the revision and the audit are as they were.
        Assert.Equal(before.ToString(), (await _api.GetJson(org.Creator, $"/api/members/{kofi.MemberId}")).ToString());
        Assert.Equal(revision, await RevisionAsync(org.Creator));
        Assert.Equal(audit, (await _api.GetJson(org.Creator, $"/api/audit?memberId={kofi.MemberId}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_preview_answers_the_refusal_the_change_would_get_beside_what_was_asked()
    {
        var (org, member, youth, choir, _) = await TeamAsync();
        var manager = await _api.MemberWithAccessAsync(org, new
        {
            role = "custom",
            permissions = new { admin_settings = true, message_inbox = new { scope = "groups", groupIds = new[] { youth } } },
        }, "ama");
        await _api.SignInAsync(manager, org.Slug);
        var newcomer = await _api.RegisterAsync(org.Slug);

        var toggle = await PreviewAsync(manager, newcomer.MemberId, new { role = "admin" });
        Assert.Equal("escalation", toggle.GetProperty("refusal").GetProperty("code").GetString());
        var put = await _api.SendAs(manager, HttpMethod.Put, $"/api/members/{newcomer.MemberId}/access", new { role = "admin" });
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(problem.GetProperty("detail").GetString(), toggle.GetProperty("refusal").GetProperty("detail").GetString());
        Assert.Contains("status pending_approval→active", Items(toggle, "gains"));
        Assert.Contains("admin", Items(toggle, "gains"));

        var wider = await PreviewAsync(manager, newcomer.MemberId, new { role = "staff", groupIds = new[] { youth, choir } });
        Assert.Equal("escalation", wider.GetProperty("refusal").GetProperty("code").GetString());
        Assert.Contains("permission message_inbox groups Choir", Items(wider, "gains"));

        // The creator is the only active admin (the second self-registrant was an automatic admin: demote them first).
        var admins = (await _api.GetJson(org.Creator, "/api/members?role=admin")).GetProperty("items").EnumerateArray()
            .Select(m => m.GetProperty("id").GetGuid()).Where(id => id != org.Creator.MemberId).ToList();
        foreach (var id in admins)
        {
            await Expect(await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{id}/access", new { role = "manager" }), HttpStatusCode.OK);
        }

        var demote = await PreviewAsync(org.Creator, org.Creator.MemberId, new { role = "manager" });
        Assert.Equal("last_admin", demote.GetProperty("refusal").GetProperty("code").GetString());
        Assert.Contains("admin", Items(demote, "losses"));
        Assert.Contains("permission admin_settings", Items(demote, "losses"));
        Assert.True((await _api.GetJson(org.Creator, $"/api/members/{org.Creator.MemberId}")).GetProperty("isAdmin").GetBoolean());

        var invalid = await PreviewAsync(org.Creator, newcomer.MemberId, new { role = "none", isAdmin = true });
        Assert.Equal("validation_failed", invalid.GetProperty("refusal").GetProperty("code").GetString());
        Assert.Empty(Items(invalid, "gains"));

        var notManager = await _api.SendAs(member, HttpMethod.Post,
            $"/api/members/{org.Creator.MemberId}/access/preview", new { role = "staff" });
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (notManager.StatusCode, await CodeOf(notManager)));
        var unknown = await _api.SendAs(org.Creator, HttpMethod.Post, $"/api/members/{Guid.NewGuid()}/access/preview", new { role = "staff" });
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.StatusCode, await CodeOf(unknown)));
    }

    /// <summary>An organisation with three groups and a custom member holding explorer_conversations.</summary>
    private async Task<(TeamPlatformClient.Org Org, Member Member, string Youth, string Choir, string Leaders)> TeamAsync()
    {
        var org = await _api.CreateOrganisationAsync();
        var youth = await CreateGroupAsync(org.Creator, "Youth");
        var choir = await CreateGroupAsync(org.Creator, "Choir");
        var leaders = await CreateGroupAsync(org.Creator, "Leaders");
        var member = await _api.MemberWithAccessAsync(org, new { role = "custom", permissions = new { explorer_conversations = true } }, "custom-member");
        await _api.SignInAsync(member, org.Slug);
        return (org, member, youth, choir, leaders);
    }

    private async Task<string> CreateGroupAsync(Member admin, string name)
    {
        var response = await _api.SendAs(admin, HttpMethod.Post, "/api/groups", new { name });
        await Expect(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private Task<JsonElement> ExplainAsync(Member caller, Guid memberId, string query) =>
        _api.GetJson(caller, $"/api/members/{memberId}/explain?{query}");

    private async Task<JsonElement> CheckAsync(Member member, object check)
    {
        var response = await _api.SendAs(member, HttpMethod.Post, "/api/permissions/check", check);
        await Expect(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> PreviewAsync(Member caller, Guid memberId, object document)
    {
        var response = await _api.SendAs(caller, HttpMethod.Post, $"/api/members/{memberId}/access/preview", document);
        await Expect(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<long> RevisionAsync(Member member) =>
        (await CheckAsync(member, new { permission = "measure" })).GetProperty("revision").GetInt64();

    private static (bool, string?) Answer(JsonElement answer) =>
        (answer.GetProperty("allowed").GetBoolean(), answer.GetProperty("reason").GetString());

    private static List<string> Codes(JsonElement explained) =>
        explained.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("code").GetString()!).ToList();

    private static List<string> Texts(JsonElement explained) =>
        explained.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("text").GetString()!).ToList();

    /// <summary>Each item in a few words: "permission message_inbox groups Youth", "permission keywords none→create", "admin".</summary>
    private static List<string> Items(JsonElement preview, string list) =>
        preview.GetProperty(list).EnumerateArray().Select(item =>
        {
            string? Part(string name) => item.TryGetProperty(name, out var value) ? value.ToString() : null;
            var words = new[]
            {
                Part("change"), Part("permission"), Part("scope"), Part("groupName"),
                Part("from") is { } from ? $"{from}→{Part("to")}" : null,
            };
            return string.Join(' ', words.Where(w => w is not null));
        }).ToList();
}
