using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>Bulk invitations: the dry run's outcome per row, the upload's limits, idempotency, and sending at the rate.</summary>
[Collection(nameof(InvitationCollection))]
public sealed class BulkInvitationTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    [Fact]
    public async Task A_dry_run_answers_what_would_happen_to_each_row_and_writes_and_sends_nothing()
    {
        var chatbot = TestPhones.New();
        var org = await Host.NewOrganisationAsync(chatbotPhone: chatbot);
        Host.Permission.AddGroup(org.OrgId, "Choir");
        var member = Host.Permission.Add(new FakeMember { Id = Guid.NewGuid(), OrgId = org.OrgId, Username = "zawadi", Phone = TestPhones.New() });
        var invited = TestPhones.New();
        await org.InviteAsync(invited);
        var fresh = TestPhones.New();
        var csv = $"""
            phone,preset,groups
            {fresh},staff,choir
            {member.Phone},staff,
            {invited},staff,
            0711 234 567,staff,
            {chatbot},staff,
            {fresh.Insert(4, " ")},manager,
            {TestPhones.New()},boss,
            {TestPhones.New()},staff,Choir;Band
            {TestPhones.New()},none,
            """;

        var response = await Upload(org.Client, Csv(csv), "?dryRun=true");
        var replacing = await (await Upload(org.Client, Csv(csv), "?dryRun=true&replace=true")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rows = body.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(
            "invite already_member already_invited invalid_phone chatbot_number duplicate_row unknown_preset unknown_group invalid_access",
            string.Join(' ', rows.Select(r => r.Str("outcome"))));
        Assert.Equal(Enumerable.Range(1, 9), rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal(
            "- already_member - invalid_phone chatbot_number - validation_failed validation_failed validation_failed",
            string.Join(' ', rows.Select(r => r.TryGetProperty("code", out var code) ? code.GetString() : "-")));
        Assert.Equal((fresh, fresh), (rows[0].Str("phone"), rows[5].Str("phone")));
        Assert.Contains("row 1", rows[5].Str("detail"));
        Assert.Contains("Band", rows[7].Str("detail"));
        var summary = body.GetProperty("summary");
        Assert.Equal((9, 1, 8), (summary.GetProperty("total").GetInt32(), summary.GetProperty("invite").GetInt32(), summary.GetProperty("skipped").GetInt32()));
        Assert.Equal(1, summary.GetProperty("outcomes").GetProperty("already_invited").GetInt32());
        Assert.Equal("invite", replacing.GetProperty("rows")[2].Str("outcome"));
        Assert.Equal(2, replacing.GetProperty("summary").GetProperty("invite").GetInt32());

        await Host.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await Host.InDatabase(db => db.BulkInvitations.CountAsync(b => b.OrgId == org.OrgId)));
        Assert.Equal(1, await Host.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == org.OrgId)));
        // The outbox is empty, so everything is published; the one invitation sent before the dry runs may still be on its way.
        Assert.Single(await Host.Bus.WaitFor<SendInvitation>(d => d.OrgId == org.OrgId, count: 1));
    }

    [Fact]
    public async Task A_spreadsheet_export_with_quoted_fields_and_windows_line_ends_is_read_as_written()
    {
        var org = await Host.NewOrganisationAsync();
        Host.Permission.AddGroup(org.OrgId, "Choir");
        Host.Permission.AddGroup(org.OrgId, "Youth, Leaders");
        var phone = TestPhones.New();
        var csv = $"\"phone\",\"preset\",\"groups\"\r\n\"{phone}\",\"staff\",\"Choir;Youth, Leaders\"\r\n\r\n";

        var response = await Upload(org.Client, Csv(csv), "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows").EnumerateArray());
        Assert.Equal((phone, "invite"), (row.Str("phone"), row.Str("outcome")));
    }

    [Fact]
    public async Task Each_row_is_held_to_what_the_inviter_may_grant_and_a_member_without_admin_settings_is_refused_the_upload()
    {
        var org = await Host.NewOrganisationAsync();
        var (_, lead) = org.TeamManager("staff");
        var stranger = Host.Permission.Add(new FakeMember { Id = Guid.NewGuid(), OrgId = org.OrgId, Username = "juma", Phone = TestPhones.New() });
        var csv = $"phone,preset\n{TestPhones.New()},staff\n{TestPhones.New()},manager\n{TestPhones.New()},admin\n";

        var body = await (await Upload(lead, Csv(csv), "?dryRun=true")).Content.ReadFromJsonAsync<JsonElement>();
        var refused = await Upload(Host.ClientFor(org.OrgId, stranger.Id), Csv(csv), "?dryRun=true");

        var rows = body.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal("invite escalation escalation", string.Join(' ', rows.Select(r => r.Str("outcome"))));
        Assert.Equal(("escalation", "escalation"), (rows[1].Str("code"), rows[2].Str("code")));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (refused.StatusCode, await refused.Code()));
    }

    [Fact]
    public async Task A_thousand_rows_are_checked_in_one_call_and_a_thousand_and_one_are_refused()
    {
        var org = await Host.NewOrganisationAsync();
        var rows = DistinctPhones(1001).Select(phone => new { phone, preset = "staff" }).ToList();

        var thousand = await Upload(org.Client, JsonContent.Create(new { rows = rows.Take(1000) }), "?dryRun=true");
        var tooMany = await Upload(org.Client, JsonContent.Create(new { rows }), "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, thousand.StatusCode);
        var summary = (await thousand.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary");
        Assert.Equal((1000, 1000), (summary.GetProperty("total").GetInt32(), summary.GetProperty("invite").GetInt32()));
        Assert.Equal(1, Host.Permission.BatchChecks(org.OrgId));
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (tooMany.StatusCode, await tooMany.Code()));
    }

    [Fact]
    public async Task An_upload_over_one_mebibyte_is_refused_and_one_under_it_is_read()
    {
        var org = await Host.NewOrganisationAsync();
        var header = "phone,preset,groups\n";
        var row = $"{TestPhones.New()},staff,";
        string Padded(int bytes) => header + row + new string('x', bytes - header.Length - row.Length);

        var over = await Upload(org.Client, Csv(Padded(1024 * 1024 + 1)), "?dryRun=true");
        var under = await Upload(org.Client, Csv(Padded(1024 * 1024)), "?dryRun=true");

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "payload_too_large"), (over.StatusCode, await over.Code()));
        Assert.Equal(HttpStatusCode.OK, under.StatusCode);
        Assert.Equal("unknown_group", (await under.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows")[0].Str("outcome"));
    }

    [Theory]
    [InlineData("text/csv", "phone,name,preset\n+254711234567,Amina,staff\n")]
    [InlineData("text/csv", "phone,groups\n+254711234567,Choir\n")]
    [InlineData("text/csv", "phone,preset\n")]
    [InlineData("application/json", """{"rows": [{"phone": "+254711234567", "preset": "staff", "name": "Amina"}]}""")]
    [InlineData("application/json", """{"rows": """)]
    public async Task Unreadable_uploads_are_refused_as_a_whole(string mediaType, string body)
    {
        var org = await Host.NewOrganisationAsync();

        var response = await Upload(org.Client, new StringContent(body, Encoding.UTF8, mediaType), "?dryRun=true");

        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (response.StatusCode, await response.Code()));
    }

    [Fact]
    public async Task A_real_run_needs_an_idempotency_key_and_any_other_body_is_unsupported()
    {
        var org = await Host.NewOrganisationAsync();
        var csv = $"phone,preset\n{TestPhones.New()},staff\n";

        var withoutKey = await Upload(org.Client, Csv(csv));
        var xml = await Upload(org.Client, new StringContent("<rows/>", Encoding.UTF8, "application/xml"), "?dryRun=true");

        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (withoutKey.StatusCode, await withoutKey.Code()));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"), (xml.StatusCode, await xml.Code()));
        Assert.Equal(0, await Host.InDatabase(db => db.BulkInvitations.CountAsync(b => b.OrgId == org.OrgId)));
    }

    [Fact]
    public async Task A_retried_upload_answers_the_same_bulk_invitation_sends_nothing_twice_and_rows_go_out_at_the_rate()
    {
        var org = await Host.NewOrganisationAsync();
        var member = Host.Permission.Add(new FakeMember { Id = Guid.NewGuid(), OrgId = org.OrgId, Username = "zawadi", Phone = TestPhones.New() });
        var phones = Enumerable.Range(0, 6).Select(_ => TestPhones.New()).ToList();
        var csv = "phone,preset\n" + string.Concat(phones.Select(p => $"{p},staff\n")) + $"{member.Phone},staff\n";
        var key = Guid.NewGuid().ToString();

        var first = await Upload(org.Client, Csv(csv), key: key);
        var retried = await Upload(org.Client, Csv(csv), key: key);
        var otherBody = await Upload(org.Client, Csv($"phone,preset\n{TestPhones.New()},staff\n"), key: key);
        var byMember = await Upload(Host.ClientFor(org.OrgId, member.Id), Csv(csv), key: key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var accepted = await first.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.Id();
        Assert.Equal($"/api/invitations/bulk/{id}", first.Headers.Location?.OriginalString);
        Assert.Equal(("queued", 0, 6), (accepted.Str("status"), accepted.GetProperty("invited").GetInt32(), accepted.GetProperty("remaining").GetInt32()));
        Assert.Equal("already_member", accepted.GetProperty("rows")[6].Str("outcome"));
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(id, (await retried.Content.ReadFromJsonAsync<JsonElement>()).Id());
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "idempotency_key_reused"), (otherBody.StatusCode, await otherBody.Code()));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (byMember.StatusCode, await byMember.Code()));

        await Host.NextBulkRoundAsync(id);
        var running = await Eventually.Until(() => Get(org, id), b => b.GetProperty("invited").GetInt32() >= 5, what: "the first second's invitations");
        await Host.NextBulkRoundAsync(id);
        var completed = await Eventually.Until(() => Get(org, id), b => b.Str("status") == "completed", what: "the bulk invitation to complete");
        var again = await Upload(org.Client, Csv(csv), key: key);

        Assert.Equal(5, running.GetProperty("invited").GetInt32());
        Assert.Equal(("running", 1), (running.Str("status"), running.GetProperty("remaining").GetInt32()));
        Assert.Equal((6, 0), (completed.GetProperty("invited").GetInt32(), completed.GetProperty("remaining").GetInt32()));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).Id());
        await Host.AdvanceAsync(TimeSpan.FromSeconds(1));

        // Every row to invite became one invitation, delivered once and announced like any invitation.
        var results = completed.GetProperty("rows").EnumerateArray().Take(6).ToList();
        foreach (var (row, phone) in results.Zip(phones))
        {
            var invitation = await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{row.GetProperty("invitationId").GetGuid()}");
            Assert.Equal((phone, "pending", org.Admin.Id), (invitation.Str("phone"), invitation.Str("status"), invitation.GetProperty("invitedBy").GetGuid()));
        }

        Assert.Equal(6, (await Host.Bus.WaitFor<SendInvitation>(d => d.OrgId == org.OrgId, count: 6)).Count);
        Assert.Equal(phones.Order(), (await Host.Bus.WaitFor<InvitationCreated>(e => e.OrgId == org.OrgId, count: 6)).Select(e => e.Phone).Order());
        var sentAt = await Host.InDatabase(db => db.BulkInvitationRows
            .Where(r => r.BulkInvitationId == id && r.InvitationId != null).Select(r => r.ProcessedAt!.Value).ToListAsync());
        Assert.Equal([5, 1], sentAt.GroupBy(t => t).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public async Task A_row_is_checked_again_when_it_is_sent_and_an_open_invitation_is_replaced_only_when_asked()
    {
        var org = await Host.NewOrganisationAsync();
        var joinedMeanwhile = TestPhones.New();
        var invited = await org.InviteAsync(TestPhones.New());
        var csv = $"phone,preset\n{joinedMeanwhile},staff\n{invited.Str("phone")},manager\n";

        var kept = await (await Upload(org.Client, Csv(csv), key: Guid.NewGuid().ToString())).Content.ReadFromJsonAsync<JsonElement>();
        var replaced = await (await Upload(org.Client, Csv(csv), "?replace=true", Guid.NewGuid().ToString())).Content.ReadFromJsonAsync<JsonElement>();
        Host.Permission.Add(new FakeMember { Id = Guid.NewGuid(), OrgId = org.OrgId, Username = "baraka", Phone = joinedMeanwhile });
        await Host.NextBulkRoundAsync(replaced.Id());
        var done = await Eventually.Until(() => Get(org, replaced.Id()), b => b.Str("status") == "completed", what: "the replacing upload to complete");

        Assert.Equal("already_invited", kept.GetProperty("rows")[1].Str("outcome"));
        Assert.Equal(("already_member", "already_member"), (done.GetProperty("rows")[0].Str("outcome"), done.GetProperty("rows")[0].Str("code")));
        var replacement = done.GetProperty("rows")[1].GetProperty("invitationId").GetGuid();
        Assert.Equal("manager", (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{replacement}")).GetProperty("access").Str("role"));
        Assert.Equal("revoked", (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invited.Id()}")).Str("status"));
    }

    [Fact]
    public async Task A_thousand_rows_go_out_at_the_configured_rate_and_a_restart_resumes_where_sending_stopped()
    {
        var host = await InvitationHost.StartAsync(settings: new Dictionary<string, string?> { ["Invitations:BulkSendRatePerSecond"] = "100" });
        Guid orgId;
        Guid id;
        FakeMember admin;
        try
        {
            var org = await host.NewOrganisationAsync();
            (orgId, admin) = (org.OrgId, org.Admin);
            var rows = DistinctPhones(1000).Select(phone => new { phone, preset = "staff" });
            var response = await Upload(org.Client, JsonContent.Create(new { rows }), key: "volunteers-2026");
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();

            for (var second = 1; second <= 3; second++)
            {
                await host.NextBulkRoundAsync(id);
            }

            Assert.Equal(300, await Sent(host, id));
        }
        finally
        {
            await host.DisposeAsync();
        }

        await using var restarted = await InvitationHost.StartAsync(restartOf: host);
        // The restarted host's clock starts where the first one's did, so the seconds already sent in count against the rate again.
        for (var round = 0; round < 30 && await Sent(restarted, id) < 1000; round++)
        {
            await restarted.NextBulkRoundAsync(id);
        }

        var client = restarted.ClientFor(orgId, admin.Id);
        var completed = await Eventually.Until(
            () => client.GetFromJsonAsync<JsonElement>($"/api/invitations/bulk/{id}"), b => b.Str("status") == "completed", what: "completion");
        Assert.Equal((1000, 0), (completed.GetProperty("invited").GetInt32(), completed.GetProperty("remaining").GetInt32()));
        var perSecond = await restarted.InDatabase(db => db.BulkInvitationRows
            .Where(r => r.BulkInvitationId == id && r.InvitationId != null)
            .GroupBy(r => r.ProcessedAt)
            .Select(g => g.Count())
            .ToListAsync());
        Assert.Equal(Enumerable.Repeat(100, 10), perSecond);
        Assert.Equal(1000, await restarted.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == orgId)));
    }

    private static Task<int> Sent(InvitationHost host, Guid id) =>
        host.InDatabase(db => db.BulkInvitationRows.CountAsync(r => r.BulkInvitationId == id && r.InvitationId != null));

    /// <summary>Random phones, none twice (a thousand random ones would repeat now and then).</summary>
    private static IEnumerable<string> DistinctPhones(int count) =>
        Enumerable.Range(0, int.MaxValue).Select(_ => TestPhones.New()).Distinct().Take(count);

    [Fact]
    public async Task A_dry_run_answer_matches_the_document_which_requires_no_member_left_out_when_null()
    {
        var api = await TeamPlatform.Testing.OpenApi.ApiDocument.ReadAsync(Host);
        var org = await Host.NewOrganisationAsync();

        var response = await Upload(org.Client, Csv($"phone,preset\n{TestPhones.New()},staff\n{TestPhones.New()},boss\n"), "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await api.ConformanceErrorsAsync(HttpMethod.Post, "/api/invitations/bulk", response));
        Assert.Equal(["outcome", "phone", "row"], api.Document.Components!.Schemas!["BulkRowResponse"].Required!.Order(StringComparer.Ordinal));
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static async Task<HttpResponseMessage> Upload(HttpClient client, HttpContent content, string query = "", string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/invitations/bulk" + query) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await client.SendAsync(request);
    }

    private static Task<JsonElement> Get(TestOrg org, Guid id) => org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/bulk/{id}");
}
