using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using nietras.SeparatedValues;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>
/// The hash-chained audit, its verification and the exports (docs/permissions.md#audit-chain, docs/permissions.md#exports),
/// through the gateway; tampering is done straight in the permission database, as someone with write access to it would.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class AuditTests(EveryProcessTwiceSystemFixture system)
{
    private const string Staff = """{"role": "staff", "groupIds": ["{choir}", "{youth}"]}""";

    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task After_ordinary_changes_the_chain_verifies_intact_and_the_csv_export_lists_every_entry_in_order()
    {
        var org = await OrganisationAsync();
        var awkward = await _api.MemberWithAccessAsync(org, new { role = "manager" }, username: "Ama \"Boss\", Mensah");
        await Expect(await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{awkward.MemberId}/access", new { role = "staff" }), HttpStatusCode.OK);

        var verification = await VerifyAsync(org.Creator);
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        // genesis, the creator and their sign-in, a self-registered admin, the member registered and approved, then made staff
        Assert.Equal(7, verification.GetProperty("entries").GetInt64());
        Assert.Equal(7, verification.GetProperty("head").GetProperty("sequence").GetInt64());
        Assert.Equal(JsonValueKind.Null, verification.GetProperty("brokenAt").ValueKind);

        var response = await _api.SendAs(org.Creator, HttpMethod.Get, "/api/audit?format=csv");
        await Expect(response, HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(
            "sequence,occurredAt,action,memberId,memberUsername,actorId,actorUsername,groupId,conversationId,revision,before,after,hash\r\n", text);
        Assert.Contains(",\"Ama \"\"Boss\"\", Mensah\",", text);
        var rows = Rows(text);
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], rows.Select(r => r["sequence"]));
        Assert.Equal(["genesis", "registered", "signed_in", "registered", "registered", "access_changed", "access_changed"], rows.Select(r => r["action"]));
        var lastChange = rows[^1];
        Assert.Equal((awkward.MemberId.ToString(), "Ama \"Boss\", Mensah", org.Creator.MemberId.ToString(), "founder"),
            (lastChange["memberId"], lastChange["memberUsername"], lastChange["actorId"], lastChange["actorUsername"]));
        Assert.Equal("staff", JsonDocument.Parse(lastChange["after"]).RootElement.GetProperty("role").GetString());
        Assert.Matches("^[0-9a-f]{64}$", lastChange["hash"]);
        Assert.Equal(verification.GetProperty("head").GetProperty("hash").GetString(), lastChange["hash"]);
        Assert.True(DateTimeOffset.TryParse(lastChange["occurredAt"], out _) && lastChange["occurredAt"].EndsWith('Z'));

        // The member filter applies to the export as to the list.
        var ofMember = Rows(await (await _api.SendAs(org.Creator, HttpMethod.Get, $"/api/audit?format=csv&memberId={awkward.MemberId}")).Content.ReadAsStringAsync());
        Assert.Equal(["registered", "access_changed", "access_changed"], ofMember.Select(r => r["action"]));
    }

    [Fact]
    public async Task An_entry_edited_in_the_database_breaks_the_chain_at_that_entry()
    {
        var org = await OrganisationAsync();
        var member = await _api.MemberWithAccessAsync(org, new { role = "manager" });
        await Expect(await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access", new { role = "staff" }), HttpStatusCode.OK);
        var approval = (await AuditPageAsync(org, member.MemberId)).Single(e => e.GetProperty("sequence").GetInt64() == 6);
        Assert.True((await VerifyAsync(org.Creator)).GetProperty("intact").GetBoolean());

        // Someone with write access makes the approval read "staff" instead of "manager".
        await system.ExecuteSqlAsync("permission",
            "UPDATE audit_entries SET after = jsonb_set(after, '{role}', '\"staff\"') WHERE id = @p0", approval.GetProperty("id").GetGuid());

        var verification = await VerifyAsync(org.Creator);
        Assert.False(verification.GetProperty("intact").GetBoolean());
        var broken = verification.GetProperty("brokenAt");
        Assert.Equal(6, broken.GetProperty("sequence").GetInt64());
        Assert.Equal(approval.GetProperty("id").GetGuid(), broken.GetProperty("id").GetGuid());
        Assert.Equal("its content does not match its hash", broken.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_deleted_entry_shows_as_a_gap_and_a_deleted_last_entry_as_a_missing_tail()
    {
        var org = await OrganisationAsync();
        var member = await _api.MemberWithAccessAsync(org, new { role = "manager" });
        await Expect(await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access", new { role = "staff" }), HttpStatusCode.OK);

        await system.ExecuteSqlAsync("permission", "DELETE FROM audit_entries WHERE org_id = @p0 AND sequence = 3", org.OrgId);
        var gap = (await VerifyAsync(org.Creator)).GetProperty("brokenAt");
        Assert.Equal((4L, "entries 3 to 3 are missing"), (gap.GetProperty("sequence").GetInt64(), gap.GetProperty("reason").GetString()));

        // The last entries leave no gap behind them: the head the organisation's row keeps says they were there.
        await system.ExecuteSqlAsync("permission", "DELETE FROM audit_entries WHERE org_id = @p0 AND sequence >= 3", org.OrgId);
        var tail = await VerifyAsync(org.Creator);
        Assert.False(tail.GetProperty("intact").GetBoolean());
        Assert.Equal((3L, "entries 3 to 7 are missing"),
            (tail.GetProperty("brokenAt").GetProperty("sequence").GetInt64(), tail.GetProperty("brokenAt").GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Twenty_concurrent_access_changes_leave_an_intact_chain_with_consecutive_sequences()
    {
        var org = await OrganisationAsync();
        var members = new List<Member>();
        for (var i = 0; i < 5; i++)
        {
            members.Add(await _api.RegisterAsync(org.Slug));
        }

        // Four changes of each of five members at once, on two gateways and two permission replicas.
        var roles = new object[] { new { role = "manager" }, new { role = "staff" }, new { role = "custom", permissions = new { measure = true } }, new { role = "none" } };
        var answers = await Task.WhenAll(members.SelectMany(m => roles.Select(role =>
            _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{m.MemberId}/access", role))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        // Each member was blocked once: identity ended their sessions, and the audit gathers that from its event.
        await Eventually.Until(
            async () => (await _api.GetJson(org.Creator, "/api/audit?pageSize=200")).GetProperty("items").EnumerateArray()
                .Count(e => e.GetProperty("action").GetString() == "sessions_revoked"),
            revoked => revoked == 5,
            what: "five ended sessions in the audit");

        var verification = await VerifyAsync(org.Creator);
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        var rows = Rows(await (await _api.SendAs(org.Creator, HttpMethod.Get, "/api/audit?format=csv")).Content.ReadAsStringAsync());
        // genesis, the creator, their sign-in and five registrations, one entry per change that changed something (all
        // twenty: each member's four changes differ from one another, whatever order they ran in) and five ended sessions
        Assert.Equal(1 + 1 + 1 + 5 + 20 + 5, rows.Count);
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => i.ToString(global::System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r["sequence"]));
        Assert.Equal(20, rows.Count(r => r["action"] == "access_changed"));
        Assert.Equal(rows.Count, verification.GetProperty("entries").GetInt64());
    }

    [Fact]
    public async Task The_access_review_lists_each_grant_of_active_members_with_group_names_phone_and_who_granted_it()
    {
        var org = await _api.CreateOrganisationAsync();
        var choir = await CreateGroupAsync(org.Creator, "Choir, main");
        var youth = await CreateGroupAsync(org.Creator, "Youth");
        var staff = await _api.MemberWithAccessAsync(org,
            JsonDocument.Parse(Staff.Replace("{choir}", choir.ToString()).Replace("{youth}", youth.ToString())).RootElement);
        var pending = await _api.RegisterAsync(org.Slug);

        var response = await _api.SendAs(org.Creator, HttpMethod.Get, "/api/access-review?format=csv");
        await Expect(response, HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("memberId,username,phone,role,isAdmin,permission,scopeOrLevel,groupId,groupName,since,grantedBy\r\n", text);
        var rows = Rows(text);

        var ofStaff = rows.Where(r => r["memberId"] == staff.MemberId.ToString()).ToList();
        Assert.Equal(
            [("message_inbox", "groups", choir.ToString(), "Choir, main"), ("message_inbox", "groups", youth.ToString(), "Youth")],
            ofStaff.Select(r => (r["permission"], r["scopeOrLevel"], r["groupId"], r["groupName"])));
        Assert.All(ofStaff, r => Assert.Equal(
            (staff.Username, staff.Phone, "staff", "false", "founder"),
            (r["username"], r["phone"], r["role"], r["isAdmin"], r["grantedBy"])));
        Assert.Contains(",\"Choir, main\",", text);

        // An admin holds every permission at its widest; a member waiting for approval holds nothing.
        var ofCreator = rows.Where(r => r["memberId"] == org.Creator.MemberId.ToString()).ToList();
        Assert.Equal(13, ofCreator.Count);
        Assert.Contains(ofCreator, r => (r["permission"], r["scopeOrLevel"], r["groupId"]) == ("broadcasts", "all", ""));
        Assert.Contains(ofCreator, r => (r["permission"], r["scopeOrLevel"]) == ("keywords", "create"));
        Assert.Contains(ofCreator, r => (r["permission"], r["scopeOrLevel"]) == ("admin_settings", "on"));
        Assert.All(ofCreator, r => Assert.Equal(("true", ""), (r["isAdmin"], r["grantedBy"])));
        Assert.DoesNotContain(rows, r => r["memberId"] == pending.MemberId.ToString());
    }

    [Fact]
    public async Task Staff_are_refused_the_audit_its_verification_and_the_access_review_and_an_unknown_format_is_a_validation_failure()
    {
        var org = await _api.CreateOrganisationAsync();
        var staff = await _api.MemberWithAccessAsync(org, new { role = "staff" });
        await _api.SignInAsync(staff, org.Slug);

        foreach (var path in new[] { "/api/audit/verify", "/api/audit?format=csv", "/api/access-review?format=csv" })
        {
            var refused = await _api.SendAs(staff, HttpMethod.Get, path);
            Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (refused.StatusCode, await CodeOf(refused)));
        }

        foreach (var path in new[] { "/api/access-review?format=xml", "/api/access-review", "/api/audit?format=xml" })
        {
            var invalid = await _api.SendAs(org.Creator, HttpMethod.Get, path);
            Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (invalid.StatusCode, await CodeOf(invalid)));
        }
    }

    private async Task<JsonElement> VerifyAsync(Member manager) => await _api.GetJson(manager, "/api/audit/verify");

    /// <summary>
    /// A new organisation, once the audit has its creator's sign-in (gathered from identity's event): the entries that
    /// follow take known places.
    /// </summary>
    private async Task<TeamPlatformClient.Org> OrganisationAsync()
    {
        var org = await _api.CreateOrganisationAsync();
        await Eventually.Until(
            async () => (await AuditPageAsync(org, org.Creator.MemberId)).Count(e => e.GetProperty("action").GetString() == "signed_in"),
            signIns => signIns == 1,
            what: "the creator's sign-in in the audit");
        return org;
    }

    private async Task<List<JsonElement>> AuditPageAsync(TeamPlatformClient.Org org, Guid memberId) =>
        (await _api.GetJson(org.Creator, $"/api/audit?memberId={memberId}&pageSize=200")).GetProperty("items").EnumerateArray().ToList();

    private async Task<Guid> CreateGroupAsync(Member admin, string name)
    {
        var response = await _api.SendAs(admin, HttpMethod.Post, "/api/groups", new { name });
        await Expect(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The records of a CSV answer by column name, read back by Sep (RFC 4180 unquoting).</summary>
    private static List<Dictionary<string, string>> Rows(string csv)
    {
        using var reader = Sep.New(',').Reader(options => options with { Unescape = true }).FromText(csv);
        var names = reader.Header.ColNames;
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var record = new Dictionary<string, string>();
            for (var i = 0; i < names.Count; i++)
            {
                record[names[i]] = row[i].ToString();
            }

            rows.Add(record);
        }

        return rows;
    }
}
