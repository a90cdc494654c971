using Microsoft.Playwright;
using TeamPlatform.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests.Console;

/// <summary>
/// The console as its people use it, by clicking in Chromium through the gateway: the one-time codes are read from the
/// development channel, as a person reads their WhatsApp.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class ConsoleJourneys(EveryProcessTwiceSystemFixture system, BrowserFixture browsers)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    private Uri Gateway => system.Gateway.BaseAddress!;

    [Fact]
    public Task An_organisation_is_created_by_clicking_and_its_creator_lands_on_the_team_list_as_its_admin() =>
        browsers.JourneyAsync("create-organisation", Gateway, async journey =>
        {
            var amina = await journey.OpenAsync("amina");
            var slug = NewSlug();
            var phone = TestPhones.New();

            await amina.GotoAsync("/");
            await amina.ClickLinkAsync("Create an organisation");
            await amina.ExpectHeadingAsync("Create an organisation");
            await amina.FillAsync("name", "Hope NGO");
            await amina.FillAsync("slug", slug);
            await amina.FillAsync("username", "amina");
            await amina.FillAsync("phone", phone);
            await amina.FillAsync("password", Password);
            await amina.ScreenshotAsync("create-organisation");
            await amina.ClickAsync("Send me a code");

            await amina.ExpectHeadingAsync("Enter the code");
            await amina.FillAsync("code", await _api.LatestCodeAsync(phone));
            await amina.ScreenshotAsync("enter-code");
            await amina.ClickAsync("Verify");

            await amina.ExpectHeadingAsync("Team members");
            var row = amina.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "amina" });
            await Expect(row).ToContainTextAsync("Admin");
            await Expect(row).ToContainTextAsync("Active");
            await amina.ScreenshotAsync("team-members");
        });

    [Fact]
    public Task Joiners_become_admins_then_wait_and_the_admin_approves_one_as_staff_with_two_groups() =>
        browsers.JourneyAsync("join-and-approve", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");

            var baraka = await journey.OpenAsync("baraka");
            var barakaPhone = TestPhones.New();
            await baraka.GotoAsync($"/o/{org.Slug}");
            await baraka.ClickLinkAsync("Join this team");
            await baraka.ExpectHeadingAsync($"Join {org.Slug}");
            await baraka.RegisterAsync("baraka", barakaPhone, Password, () => _api.LatestCodeAsync(barakaPhone));
            await baraka.ExpectHeadingAsync("Team members");

            var chiku = await journey.OpenAsync("chiku", phoneSized: true);
            var chikuPhone = TestPhones.New();
            await chiku.GotoAsync($"/o/{org.Slug}/join");
            await chiku.RegisterAsync("chiku", chikuPhone, Password, () => _api.LatestCodeAsync(chikuPhone));
            await chiku.ExpectHeadingAsync("Waiting for approval");
            await chiku.ScreenshotAsync("waiting-for-approval");

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.ClickLinkAsync("Groups");
            foreach (var group in new[] { "Youth", "Choir" })
            {
                await amina.FillAsync("new-group", group);
                await amina.ClickAsync("Create group");
                await Expect(amina.Page.Locator($"li[data-group='{group}']")).ToBeVisibleAsync();
            }

            await amina.ClickLinkAsync("Team members");
            var pending = amina.Page.Locator("li[data-member='chiku']");
            await Expect(pending).ToContainTextAsync(chikuPhone);
            await amina.ScreenshotAsync("pending-approval");
            await pending.GetByRole(AriaRole.Link, new() { Name = "Approve" }).ClickAsync();
            await amina.ExpectHeadingAsync("Approve chiku");
            await amina.Radio("presets", "Staff").ClickAsync();
            await amina.Radio("staff-groups", "Specific groups").ClickAsync();
            var staffGroups = amina.Page.Locator("fieldset[data-permission='staff-groups']");
            await staffGroups.GetByRole(AriaRole.Checkbox, new() { Name = "Youth" }).ClickAsync();
            await staffGroups.GetByRole(AriaRole.Checkbox, new() { Name = "Choir" }).ClickAsync();
            await amina.ScreenshotAsync("approve-as-staff");
            await amina.ClickAsync("Approve");
            await amina.ExpectHeadingAsync("Team members");
            var row = amina.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "chiku" });
            await Expect(row).ToContainTextAsync("Staff");
            await Expect(row).ToContainTextAsync("Active");
            await Expect(row).ToContainTextAsync("Choir, Youth");
            // The group filter searches the organisation's groups as one types.
            await amina.Page.Locator("#group-filter input").PressSequentiallyAsync("you");
            await amina.Page.GetByRole(AriaRole.Option, new() { Name = "Youth" }).ClickAsync();
            await Expect(amina.Page.Locator(".member-grid .member-name")).ToHaveTextAsync(["chiku"]);

            var chikuAgain = await journey.OpenAsync("chiku-signed-in");
            await chikuAgain.SignInAsync(org.Slug, chikuPhone, Password);
            await chikuAgain.ExpectHeadingAsync("My profile");
            await chikuAgain.ExpectNavigationAsync("My profile");
        });

    [Fact]
    public Task An_admin_makes_a_member_a_manager_for_two_weeks_sees_the_countdown_and_ends_it_early() =>
        browsers.JourneyAsync("temporary-access", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            var kofi = await _api.MemberWithAccessAsync(org, new { role = "staff" }, "kofi");

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.Page.GetByRole(AriaRole.Button, new() { Name = "Actions for kofi" }).ClickAsync();
            await amina.ClickAsync("Edit access");
            await amina.ExpectHeadingAsync("Access of kofi");
            await amina.Radio("presets", "Manager").ClickAsync();
            await amina.Radio("duration", "For 2 weeks").ClickAsync();
            await amina.ExpectTextAsync("Afterwards kofi goes back to the access they have now.");
            await amina.ScreenshotAsync("temporary-access-edit");
            await amina.ClickAsync("Save");

            await amina.ExpectHeadingAsync("Team members");
            var row = amina.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "kofi" });
            await Expect(row.Locator(".temporary-access")).ToHaveTextAsync("Temporary, ends in 14 days");
            await amina.ScreenshotAsync("temporary-access-list");
            var saved = await _api.GetJson(org.Creator, $"/api/members/{kofi.MemberId}");
            Assert.Equal(("manager", "staff"), (saved.GetProperty("role").GetString(), saved.GetProperty("access").GetProperty("then").GetProperty("role").GetString()));
            var end = saved.GetProperty("accessExpiresAt").GetDateTimeOffset();
            Assert.InRange(end - DateTimeOffset.UtcNow, TimeSpan.FromDays(14) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(14));

            // Opening it again keeps the end unless another is chosen, and offers to end it now.
            await amina.Page.GetByRole(AriaRole.Button, new() { Name = "Actions for kofi" }).ClickAsync();
            await amina.ClickAsync("Edit access");
            await Expect(amina.Radio("duration", "Keep the current end")).ToBeCheckedAsync();
            await amina.ExpectTextAsync("then kofi is Staff again.");
            await amina.ClickAsync("End the temporary access now");

            await amina.ExpectHeadingAsync("Team members");
            await Expect(row).ToContainTextAsync("Staff");
            await Expect(row.Locator(".temporary-access")).ToHaveCountAsync(0);
            var ended = await _api.GetJson(org.Creator, $"/api/members/{kofi.MemberId}");
            Assert.Equal(("staff", global::System.Text.Json.JsonValueKind.Null), (ended.GetProperty("role").GetString(), ended.GetProperty("accessExpiresAt").ValueKind));
        });

    [Fact]
    public Task Before_saving_an_admin_sees_what_the_member_gains_and_loses_and_nothing_is_saved_until_they_do() =>
        browsers.JourneyAsync("access-preview", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            var kofi = await _api.MemberWithAccessAsync(org, new { role = "custom", permissions = new { keywords = "view", engage_settings = true } }, "kofi");

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.Page.GetByRole(AriaRole.Button, new() { Name = "Actions for kofi" }).ClickAsync();
            await amina.ClickAsync("Edit access");
            await amina.ExpectHeadingAsync("Access of kofi");
            await amina.ExpectTextAsync("Saving changes nothing.");

            await amina.Radio("presets", "Manager").ClickAsync();
            await amina.ExpectHeadingAsync("kofi gains");
            var gains = amina.Page.Locator("ul.preview-gains li");
            await Expect(gains.Filter(new() { HasText = "Message inbox: every group" })).ToHaveCountAsync(1);
            await Expect(gains.Filter(new() { HasText = "Keywords: View → Create & view" })).ToHaveCountAsync(1);
            await Expect(amina.Page.Locator("ul.preview-losses li")).ToHaveTextAsync(["Engage settings"]);
            await amina.ScreenshotAsync("access-preview");

            // Seen, not saved: kofi is as he was until the admin saves.
            Assert.Equal("custom", (await _api.GetJson(org.Creator, $"/api/members/{kofi.MemberId}")).GetProperty("role").GetString());
            await amina.ClickAsync("Save");
            await amina.ExpectHeadingAsync("Team members");
            Assert.Equal("manager", (await _api.GetJson(org.Creator, $"/api/members/{kofi.MemberId}")).GetProperty("role").GetString());
        });

    [Fact]
    public Task The_admin_toggle_turns_everything_on_and_greys_it_and_turning_it_off_gives_the_earlier_set_back() =>
        browsers.JourneyAsync("admin-toggle", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            var kofi = await _api.MemberWithAccessAsync(org, new { role = "custom", permissions = new { keywords = "view", measure = true } }, "kofi");

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.Page.GetByRole(AriaRole.Button, new() { Name = "Actions for kofi" }).ClickAsync();
            await amina.ClickAsync("Edit access");
            await amina.ExpectHeadingAsync("Access of kofi");
            await Expect(amina.Radio("keywords", "View")).ToBeCheckedAsync();
            await Expect(amina.Switch("Measure")).ToBeCheckedAsync();
            await Expect(amina.Switch("Engage settings")).Not.ToBeCheckedAsync();

            await amina.Switch("Admin").ClickAsync();
            foreach (var permission in new[] { "message_inbox", "broadcasts", "people" })
            {
                await Expect(amina.Radio(permission, "All groups")).ToBeCheckedAsync();
                await Expect(amina.Radio(permission, "Off")).ToBeDisabledAsync();
            }

            await Expect(amina.Radio("keywords", "Create & view")).ToBeCheckedAsync();
            foreach (var toggle in new[] { "Engage settings", "Measure", "Admin settings" })
            {
                await Expect(amina.Switch(toggle)).ToBeCheckedAsync();
                await Expect(amina.Switch(toggle)).ToBeDisabledAsync();
            }

            await amina.ScreenshotAsync("admin-toggle-on");
            await amina.Switch("Admin").ClickAsync();
            await Expect(amina.Radio("keywords", "View")).ToBeCheckedAsync();
            await Expect(amina.Switch("Measure")).ToBeCheckedAsync();
            await Expect(amina.Switch("Engage settings")).Not.ToBeCheckedAsync();
            await Expect(amina.Radio("message_inbox", "Off")).ToBeCheckedAsync();
            await Expect(amina.Switch("Measure")).ToBeEnabledAsync();
            await amina.ClickAsync("Save");
            await amina.ExpectHeadingAsync("Team members");

            var saved = await _api.GetJson(org.Creator, $"/api/members/{kofi.MemberId}");
            Assert.False(saved.GetProperty("isAdmin").GetBoolean());
            Assert.Equal("custom", saved.GetProperty("role").GetString());
            var permissions = saved.GetProperty("access").GetProperty("permissions");
            Assert.Equal("view", permissions.GetProperty("keywords").GetString());
            Assert.True(permissions.GetProperty("measure").GetBoolean());
            Assert.Equal(2, permissions.EnumerateObject().Count());
        });

    [Fact]
    public Task An_invitation_is_copied_opened_in_another_browser_and_used_and_others_are_renewed_and_revoked() =>
        browsers.JourneyAsync("invitations", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.ClickLinkAsync("Invitations");
            await amina.ExpectHeadingAsync("Invitations");

            var dumaPhone = TestPhones.New();
            await InviteAsync(amina, dumaPhone, "Manager");
            var invited = InvitationRow(amina, dumaPhone);
            await Expect(invited).ToBeVisibleAsync();
            await invited.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
            await Expect(amina.Page.Locator("#copied-link input")).ToHaveValueAsync(new global::System.Text.RegularExpressions.Regex("/invite/"));
            var link = await amina.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
            Assert.Equal(await amina.Page.Locator("#copied-link input").InputValueAsync(), link);
            await amina.ScreenshotAsync("invitations");

            var duma = await journey.OpenAsync("duma");
            await duma.GotoAsync(new Uri(link).PathAndQuery);
            await duma.ExpectHeadingAsync($"Join Org {org.Slug}");
            await duma.ExpectTextAsync("invited you as Manager");
            await duma.ScreenshotAsync("invitation-page");
            await duma.RegisterAsync("duma", dumaPhone, Password, () => _api.LatestCodeAsync(dumaPhone));
            await duma.ExpectHeadingAsync("My profile");
            var members = await _api.GetJson(org.Creator, $"/api/members?q=duma");
            var dumaMember = members.GetProperty("items").EnumerateArray().Single();
            Assert.Equal(("active", "manager"), (dumaMember.GetProperty("status").GetString(), dumaMember.GetProperty("role").GetString()));

            var eshePhone = TestPhones.New();
            await InviteAsync(amina, eshePhone, "Staff");
            await system.ExecuteSqlAsync("invitation",
                "update invitations set expires_at = now() - interval '1 hour', created_at = now() - interval '31 days' where phone = @p0", eshePhone);
            await amina.Page.GetByRole(AriaRole.Tab, new() { Name = "Expired" }).ClickAsync();
            var expired = InvitationRow(amina, eshePhone);
            await expired.GetByRole(AriaRole.Button, new() { Name = "Renew" }).ClickAsync();
            await Expect(expired).Not.ToBeVisibleAsync();
            await amina.Page.GetByRole(AriaRole.Tab, new() { Name = "Pending" }).ClickAsync();
            await Expect(InvitationRow(amina, eshePhone).GetByRole(AriaRole.Button, new() { Name = "Copy link" })).ToBeVisibleAsync();

            var fatumaPhone = TestPhones.New();
            await InviteAsync(amina, fatumaPhone, "Staff");
            await InvitationRow(amina, fatumaPhone).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            await amina.ConfirmAsync("Revoke");
            await Expect(InvitationRow(amina, fatumaPhone)).Not.ToBeVisibleAsync();
            await amina.Page.GetByRole(AriaRole.Tab, new() { Name = "Revoked" }).ClickAsync();
            await Expect(InvitationRow(amina, fatumaPhone)).ToBeVisibleAsync();
        });

    [Fact]
    public Task An_admin_uploads_a_file_of_phones_reads_what_will_happen_to_each_and_sends_the_invitations() =>
        browsers.JourneyAsync("bulk-invitations", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            (await _api.SendAs(org.Creator, HttpMethod.Post, "/api/groups", new { name = "Youth" })).EnsureSuccessStatusCode();
            var (jabari, neema) = (TestPhones.New(), TestPhones.New());
            var csv = $"phone,preset,groups\n{jabari},staff,Youth\n{neema},manager,\n12345,staff,\n{org.Creator.Phone},manager,\n";

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.ClickLinkAsync("Invitations");
            await amina.ClickLinkAsync("upload a file of phones");
            await amina.ExpectHeadingAsync("Invite many");
            // A file chosen before the page's circuit listens is lost, as a click would be: choose it again until the page
            // has read it (the check button waits for the file). A failed expectation is a PlaywrightException, not a timeout.
            for (var attempt = 1; ; attempt++)
            {
                await amina.Page.Locator("#bulk-file").SetInputFilesAsync(new FilePayload
                {
                    Name = "volunteers.csv", MimeType = "text/csv", Buffer = global::System.Text.Encoding.UTF8.GetBytes(csv),
                });
                try
                {
                    await Expect(amina.Page.GetByRole(AriaRole.Button, new() { Name = "Check the rows", Exact = true })).ToBeEnabledAsync(new() { Timeout = 5_000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 4)
                {
                }
            }

            await amina.ClickAsync("Check the rows");

            await Expect(amina.Page.Locator("#bulk-summary")).ToHaveTextAsync("2 of 4 will be invited. Not invited: 1 already a member; 1 not a phone number.");
            await Expect(BulkRow(amina, "12345")).ToContainTextAsync("Not a phone number");
            await Expect(BulkRow(amina, org.Creator.Phone)).ToContainTextAsync("Already a member");
            await Expect(BulkRow(amina, jabari)).ToContainTextAsync("Will be invited");
            await amina.ScreenshotAsync("bulk-check");
            Assert.Equal(0, (await _api.GetJson(org.Creator, "/api/invitations?status=pending")).GetProperty("total").GetInt32());

            await amina.ClickAsync("Send 2 invitations");
            await Expect(amina.Page.Locator("#bulk-status")).ToContainTextAsync("Done: 2 invitations sent, 2 rows not sent.", new() { Timeout = 30_000 });
            await Expect(BulkRow(amina, neema)).ToContainTextAsync("Invited");
            await amina.ScreenshotAsync("bulk-sent");

            var pending = (await _api.GetJson(org.Creator, "/api/invitations?status=pending")).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(new[] { jabari, neema }.Order(), pending.Select(i => i.GetProperty("phone").GetString()).Order());
            // Each invited phone gets its WhatsApp invitation through the usual delivery.
            await _api.LatestMessageAsync(jabari, "invitation");
            await _api.LatestMessageAsync(neema, "invitation");
        });

    [Fact]
    public Task An_admin_checks_the_audit_is_untouched_and_downloads_it_and_who_holds_what_while_staff_are_refused() =>
        browsers.JourneyAsync("audit-downloads", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            var kofi = await _api.MemberWithAccessAsync(org, new { role = "manager" }, "kofi");
            var neema = await _api.MemberWithAccessAsync(org, new { role = "staff", groupIds = Array.Empty<Guid>() }, "neema");

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            // Her sign-in reaches the audit from identity's event: counted before the check, so that the count holds still.
            await Eventually.Until(
                async () => (await _api.GetJson(org.Creator, $"/api/audit?memberId={org.Creator.MemberId}")).GetProperty("items").EnumerateArray()
                    .Count(e => e.GetProperty("action").GetString() == "signed_in"),
                signIns => signIns >= 1,
                what: "amina's sign-in in the audit");
            await amina.GotoAsync("/audit");
            await amina.ExpectHeadingAsync("Audit log");
            await Expect(amina.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Signed in" }).First).ToContainTextAsync("amina");
            await amina.ClickAsync("Check the log is untouched");
            var entries = (await _api.GetJson(org.Creator, "/api/audit/verify")).GetProperty("entries").GetInt64();
            await amina.ExpectTextAsync($"Untouched: all {entries:N0} entries follow one another as they were written.");
            await amina.ScreenshotAsync("audit-verified");

            var log = await DownloadAsync(amina, "Download the log (CSV)");
            Assert.Matches(@"^audit-\d{4}-\d{2}-\d{2}\.csv$", log.Name);
            Assert.StartsWith("sequence,", log.Rows[0], StringComparison.Ordinal);
            Assert.Contains(log.Rows, row => row.Contains(kofi.MemberId.ToString(), StringComparison.Ordinal) && row.Contains("access_changed", StringComparison.Ordinal));

            var review = await DownloadAsync(amina, "Download who holds what (CSV)");
            Assert.Matches(@"^access-review-\d{4}-\d{2}-\d{2}\.csv$", review.Name);
            Assert.Contains(review.Rows, row => row.Contains("kofi", StringComparison.Ordinal) && row.Contains("manager", StringComparison.Ordinal));

            // A staff member has no audit page in the menu; the download's address alone gets them the reason, in words.
            var neemaPage = await journey.OpenAsync("neema");
            await neemaPage.SignInAsync(org.Slug, neema.Phone, Password);
            await neemaPage.GotoAsync(AuditDownloadPath);
            await neemaPage.ExpectTextAsync("You do not have permission to do this.");
            Assert.EndsWith("/audit?refused=forbidden", neemaPage.Page.Url, StringComparison.Ordinal);
        });

    private const string AuditDownloadPath = "/downloads/audit.csv";

    private static async Task<(string Name, string[] Rows)> DownloadAsync(ConsolePage page, string link)
    {
        var download = await page.Page.RunAndWaitForDownloadAsync(() => page.ClickLinkAsync(link));
        var rows = await File.ReadAllLinesAsync(await download.PathAsync());
        return (download.SuggestedFilename, rows);
    }

    [Fact]
    public Task The_last_admin_cannot_demote_themself_and_is_told_why_in_words() =>
        browsers.JourneyAsync("last-admin", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.Page.GetByRole(AriaRole.Button, new() { Name = "Actions for amina" }).ClickAsync();
            await amina.ClickAsync("Edit access");
            await amina.ExpectHeadingAsync("Access of amina");
            await amina.Switch("Admin").ClickAsync();
            await amina.ClickAsync("Save");

            await amina.ExpectTextAsync("The organisation must always keep an admin. Make someone else an admin first.");
            await amina.ScreenshotAsync("last-admin");
            var me = await _api.GetJson(org.Creator, "/api/me");
            Assert.True(me.GetProperty("isAdmin").GetBoolean());
        });

    [Fact]
    public Task A_member_blocked_while_their_console_is_open_is_signed_out_at_their_next_click() =>
        browsers.JourneyAsync("blocked-member", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            var kofi = await _api.MemberWithAccessAsync(org, new { role = "manager" }, "kofi");

            var kofiBrowser = await journey.OpenAsync("kofi");
            await kofiBrowser.SignInAsync(org.Slug, kofi.Phone, Password);
            await kofiBrowser.ExpectHeadingAsync("My profile");
            await _api.SignInAsync(kofi, org.Slug);

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.Page.GetByRole(AriaRole.Button, new() { Name = "Actions for kofi" }).ClickAsync();
            await amina.ClickAsync("Block");
            await amina.ConfirmAsync("Block");
            await Expect(amina.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "kofi" })).ToContainTextAsync("Blocked");
            // The block reaches every gateway within a second (JoiningTests holds it to that); this journey is about what
            // the console does at kofi's next click once it has, so the click waits until every gateway refuses him.
            await Eventually.Until(() => RefusedByEveryGatewayAsync(kofi), refused => refused, what: "kofi's sessions ended at every gateway");

            await kofiBrowser.ClickLinkAsync("My profile");
            await kofiBrowser.ExpectHeadingAsync("You have been signed out");
            await kofiBrowser.GotoAsync("/profile");
            await kofiBrowser.ExpectHeadingAsync("Sign in to your team");
        });

    [Fact]
    public Task An_admin_makes_a_member_the_youth_groups_admin_who_approves_a_newcomer_into_youth_and_reads_its_audit() =>
        browsers.JourneyAsync("group-admin", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            foreach (var name in new[] { "Youth", "Choir" })
            {
                await Expect(await _api.SendAs(org.Creator, HttpMethod.Post, "/api/groups", new { name }), global::System.Net.HttpStatusCode.Created);
            }

            var groups = await _api.GetJson(org.Creator, "/api/groups?pageSize=10");
            var youth = groups.GetProperty("items").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Youth").GetProperty("id").GetGuid();
            var neema = await _api.MemberWithAccessAsync(org, new { role = "staff", groupIds = new[] { youth } }, "neema");
            await _api.RegisterAsync(org.Slug, "juma");

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.GotoAsync($"/team/{neema.MemberId}/access");
            await amina.ExpectHeadingAsync("Access of neema");
            await amina.Radio("group-admin", "Specific groups").ClickAsync();
            await amina.Page.Locator("fieldset[data-permission='group-admin']").GetByRole(AriaRole.Checkbox, new() { Name = "Youth" }).ClickAsync();
            await Expect(amina.Page.Locator(".preview-gains")).ToContainTextAsync("Group admin of Youth");
            await amina.ScreenshotAsync("appoint-group-admin");
            await amina.ClickAsync("Save");
            await amina.ExpectHeadingAsync("Team members");
            await Expect(amina.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "neema" }).Locator(".group-admin")).ToHaveTextAsync("Group admin of Youth");

            var page = await journey.OpenAsync("neema");
            await page.SignInAsync(org.Slug, neema.Phone, Password);
            await page.ExpectHeadingAsync("Team members");
            await page.ExpectNavigationAsync("Team members", "Audit log", "My profile");
            var pending = page.Page.Locator("li[data-member='juma']");
            await Expect(pending.GetByRole(AriaRole.Button, new() { Name = "Reject" })).ToHaveCountAsync(0);
            // The members of other groups, and the organisation's admins, are not hers to see.
            await Expect(page.Page.Locator(".member-grid .member-name")).ToHaveTextAsync(["neema", "juma"]);
            await page.ScreenshotAsync("group-admin-team");
            await pending.GetByRole(AriaRole.Link, new() { Name = "Approve" }).ClickAsync();
            await page.ExpectHeadingAsync("Approve juma");
            await page.Page.Locator("fieldset[data-group='Youth']").GetByRole(AriaRole.Checkbox, new() { Name = "Message inbox" }).ClickAsync();
            await Expect(page.Page.Locator(".preview-gains")).ToContainTextAsync("Message inbox: Youth");
            await Expect(page.Page.Locator("fieldset[data-group='Youth']").GetByRole(AriaRole.Checkbox, new() { Name = "Broadcasts" })).ToBeDisabledAsync();
            await page.ScreenshotAsync("group-admin-approve");
            await page.ClickAsync("Approve");
            await page.ExpectHeadingAsync("Team members");
            var row = page.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "juma" });
            await Expect(row).ToContainTextAsync("Active");
            await Expect(row).ToContainTextAsync("Youth");

            // She invites into her group too: the invitation carries the chats of Youth.
            var newcomer = TestPhones.New();
            await page.FillAsync("invite-phone", newcomer);
            await page.Page.GetByRole(AriaRole.Group, new() { Name = "Groups to invite to" }).GetByRole(AriaRole.Checkbox, new() { Name = "Youth" }).ClickAsync();
            await page.ScreenshotAsync("group-admin-invite");
            await page.ClickAsync("Send invitation");
            await page.ExpectTextAsync($"Invitation sent to {newcomer}");
            await _api.LatestMessageAsync(newcomer, "invitation");

            await page.ClickLinkAsync("Audit log");
            await page.ExpectHeadingAsync("Audit log");
            await Expect(page.Page.Locator(".audit-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = "juma" }).First).ToContainTextAsync("neema");
            // Her appointment reads as what it gave her, the group by its name.
            await Expect(page.Page.Locator(".audit-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = "Group admin of Youth" }).First)
                .ToContainTextAsync("Active · Staff · Group admin of Youth");
            await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Check the log is untouched" })).ToHaveCountAsync(0);
            await page.ScreenshotAsync("group-admin-audit");
        });

    [Fact]
    public Task A_member_without_permissions_sees_only_their_profile_and_changes_their_password() =>
        browsers.JourneyAsync("no-permissions", Gateway, async journey =>
        {
            var org = await _api.CreateOrganisationAsync(username: "amina");
            var zawadi = await _api.MemberWithAccessAsync(org, new { role = "custom" }, "zawadi");
            const string newPassword = "a new and longer passphrase";

            var page = await journey.OpenAsync("zawadi", phoneSized: true);
            await page.SignInAsync(org.Slug, zawadi.Phone, Password);
            await page.ExpectHeadingAsync("My profile");
            await page.ExpectNavigationAsync("My profile");
            await page.ScreenshotAsync("my-profile");

            await page.FillAsync("current-password", Password);
            await page.FillAsync("new-password", newPassword);
            await page.ClickAsync("Change password");
            await page.ExpectTextAsync("Your password is changed");
            await page.ClickAsync("Sign out");
            await page.ExpectHeadingAsync($"Sign in to {org.Slug}");

            await page.SignInAsync(org.Slug, zawadi.Phone, newPassword);
            await page.ExpectHeadingAsync("My profile");
        });

    [Fact]
    public Task An_admin_adds_a_webhook_copies_its_secret_sees_a_join_delivered_and_sends_it_again_with_the_same_id() =>
        browsers.JourneyAsync("webhooks", Gateway, async journey =>
        {
            await using var receiver = await SignedWebhookReceiver.StartAsync();
            var org = await _api.CreateOrganisationAsync(username: "amina");

            var amina = await journey.OpenAsync("amina");
            await amina.SignInAsync(org.Slug, org.Creator.Phone, Password);
            await amina.ClickLinkAsync("Webhooks");
            await amina.ExpectHeadingAsync("Webhooks");
            await amina.FillAsync("webhook-url", receiver.Url);
            await amina.Page.GetByRole(AriaRole.Group, new() { Name = "Events to send" })
                .GetByRole(AriaRole.Checkbox, new() { Name = "MemberRegistered", Exact = true }).ClickAsync();
            await amina.FillAsync("webhook-description", "Inbox sync");
            await Expect(amina.Page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint", Exact = true })).ToBeEnabledAsync();
            await amina.ScreenshotAsync("webhook-add");
            await amina.ClickAsync("Add endpoint");

            await amina.ExpectTextAsync("it will not be shown again");
            var secret = await amina.Page.Locator("#webhook-secret").InnerTextAsync();
            Assert.StartsWith("whsec_", secret);
            await amina.ClickAsync("Copy secret");
            await amina.ExpectTextAsync("The secret is copied");
            Assert.Equal(secret, await amina.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            receiver.Secret = secret;
            var endpoint = amina.Page.Locator($"li[data-webhook='{receiver.Url}']");
            await Expect(endpoint).ToContainTextAsync("MemberRegistered");
            await Expect(endpoint).ToContainTextAsync("Inbox sync");
            await Expect(endpoint.Locator(".webhook-state")).ToHaveTextAsync("On");
            await amina.ScreenshotAsync("webhook-secret");
            await amina.ClickAsync("I have copied it");
            await Expect(amina.Page.Locator("#webhook-secret")).ToHaveCountAsync(0);

            var joiner = await _api.RegisterAsync(org.Slug);
            var first = (await Eventually.Until(
                () => Task.FromResult(receiver.All),
                all => all.Any(r => r.Type == "MemberRegistered"),
                TimeSpan.FromSeconds(30),
                "the join at the receiver")).Single();
            Assert.True(first.Verified, first.Refusal);
            Assert.Equal(joiner.MemberId, first.Data.GetProperty("memberId").GetGuid());
            var webhookId = (await _api.GetJson(org.Creator, "/api/webhooks")).GetProperty("items")[0].GetProperty("id").GetGuid();
            await Eventually.Until(
                () => _api.GetJson(org.Creator, $"/api/webhooks/{webhookId}/deliveries?status=succeeded"),
                page => page.GetProperty("total").GetInt32() == 1,
                TimeSpan.FromSeconds(10),
                "the delivery logged as succeeded");

            await amina.ClickLinkAsync($"Deliveries of {receiver.Url}");
            await amina.ExpectHeadingAsync("Deliveries");
            var row = amina.Page.Locator(".webhook-delivery-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = "MemberRegistered" });
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row.Locator(".webhook-delivery")).ToHaveTextAsync("Succeeded");
            await Expect(row).ToContainTextAsync("204 in");
            await row.GetByRole(AriaRole.Button, new() { Name = "Payload of MemberRegistered", Exact = false }).ClickAsync();
            await Expect(amina.Page.Locator(".webhook-payload pre")).ToContainTextAsync(joiner.MemberId.ToString());
            await Expect(amina.Page.Locator(".webhook-payload")).ToContainTextAsync(first.Id);
            await amina.ScreenshotAsync("webhook-deliveries");

            await row.GetByRole(AriaRole.Button, new() { Name = "Send again", Exact = true }).ClickAsync();
            await amina.ExpectTextAsync("is being sent again, with the same webhook-id");
            var twice = await Eventually.Until(
                () => Task.FromResult(receiver.All),
                all => all.Count(r => r.Id == first.Id) == 2,
                TimeSpan.FromSeconds(30),
                "the delivery sent again at the receiver");
            Assert.All(twice, r => Assert.True(r.Verified, r.Refusal));
            Assert.Equal(2, twice.Count);

            // A rotation asks first, then shows the new secret once and how long the old one still signs.
            await amina.Page.Locator(".breadcrumb").GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
            await amina.ExpectHeadingAsync("Webhooks");
            await Expect(endpoint).Not.ToContainTextAsync("Never");
            await amina.ClickAsync("Rotate secret");
            await amina.ConfirmAsync("Rotate secret");
            await amina.ExpectTextAsync("The previous secret keeps signing deliveries too until");
            Assert.NotEqual(secret, await amina.Page.Locator("#webhook-secret").InnerTextAsync());
            await amina.ScreenshotAsync("webhook-rotated");
        });

    private static ILocator BulkRow(ConsolePage admin, string phone) =>
        admin.Page.Locator(".bulk-rows").GetByRole(AriaRole.Row).Filter(new() { HasText = phone });

    private static ILocator InvitationRow(ConsolePage admin, string phone) =>
        admin.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = phone });

    private static async Task InviteAsync(ConsolePage admin, string phone, string role)
    {
        await admin.FillAsync("invite-phone", phone);
        await admin.Radio("presets", role).ClickAsync();
        await admin.ClickAsync("Send invitation");
        await admin.ExpectTextAsync($"Invitation sent to {phone}");
    }

    /// <summary>Several requests through the front, which spreads them over the gateways: every one refused.</summary>
    private async Task<bool> RefusedByEveryGatewayAsync(Member member)
    {
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var response = await _api.SendAs(member, HttpMethod.Get, "/api/me");
            if (response.StatusCode != global::System.Net.HttpStatusCode.Unauthorized)
            {
                return false;
            }
        }

        return true;
    }
}
