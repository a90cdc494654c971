using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

[Collection(nameof(IdentityCollection))]
public sealed class OrganisationTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task An_organisation_exists_once_its_creator_verifies_and_says_so()
    {
        var org = await Host.CreateOrganisationAsync();

        var created = await Host.Bus.WaitFor<OrganisationCreated>(e => e.OrgId == org.Id);
        Assert.Equal((org.Slug, "Hope Chapel"), (created.Slug, created.Name));
        Assert.Equal(new OrganisationSettings(2, 30, "approval", null, "en", true), created.Settings);
        var creator = Host.Team.MemberOf(org.Creator.Id);
        Assert.Equal(("active", true, RegistrationRoutes.OrganisationCreation), (creator.Status, creator.IsAdmin, creator.Via));
    }

    [Fact]
    public async Task Any_member_reads_the_organisation_and_its_settings()
    {
        var org = await Host.CreateOrganisationAsync();
        await Host.JoinAsync(org.Slug);
        var pendingThenApproved = await Host.JoinAsync(org.Slug);
        Host.Team.Approve(pendingThenApproved.Id);

        var read = await Host.ClientWith(await Host.LoginAsync(org.Slug, pendingThenApproved)).GetFromJsonAsync<JsonElement>("/api/org");

        Assert.Equal(org.Id, read.GetProperty("id").GetGuid());
        var settings = read.GetProperty("settings");
        Assert.Equal((2, 30, "approval", "en", true), (
            settings.GetProperty("autoAdminCount").GetInt32(), settings.GetProperty("inviteTtlDays").GetInt32(),
            settings.GetProperty("selfRegistration").GetString(), settings.GetProperty("language").GetString(),
            settings.GetProperty("smsFallback").GetBoolean()));
    }

    [Fact]
    public async Task Changing_settings_needs_admin_settings_and_is_announced()
    {
        var org = await Host.CreateOrganisationAsync();
        await Host.JoinAsync(org.Slug);
        var staff = await Host.JoinAsync(org.Slug);
        Host.Team.Approve(staff.Id);
        var chatbot = TestPhones.New();

        var forbidden = await Host.ClientWith(await Host.LoginAsync(org.Slug, staff)).PatchAsJsonAsync("/api/org", new { name = "Mine now" });
        var admin = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        var changed = await admin.PatchAsJsonAsync("/api/org", new
        {
            name = "Hope Chapel Nairobi",
            settings = new { autoAdminCount = 3, inviteTtlDays = 7, selfRegistration = "closed", chatbotPhone = chatbot, language = "sw", smsFallback = false },
        });
        var cleared = await admin.PatchAsJsonAsync("/api/org", new { settings = new { chatbotPhone = "" } });

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("forbidden", await IdentityApi.CodeOf(forbidden));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var announced = await Host.Bus.WaitFor<OrganisationSettingsChanged>(e => e.OrgId == org.Id && e.Settings.ChatbotPhone == chatbot);
        Assert.Equal(("Hope Chapel Nairobi", new OrganisationSettings(3, 7, "closed", chatbot, "sw", false)), (announced.Name, announced.Settings));
        var afterClear = (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("settings");
        Assert.Equal(JsonValueKind.Null, afterClear.GetProperty("chatbotPhone").ValueKind);
        Assert.Equal("closed", afterClear.GetProperty("selfRegistration").GetString());
    }

    [Fact]
    public async Task New_members_count_against_the_organisations_own_auto_admin_count()
    {
        var org = await Host.CreateOrganisationAsync();
        var admin = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        (await admin.PatchAsJsonAsync("/api/org", new { settings = new { autoAdminCount = 1 } })).EnsureSuccessStatusCode();

        var next = await Host.JoinAsync(org.Slug);

        Assert.Equal(("pending_approval", false), (next.Status, next.IsAdmin));
    }

    [Fact]
    public async Task Organisation_routes_need_a_members_token()
    {
        var anonymous = await Host.CreateClient().GetAsync("/api/org");
        var forged = Host.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForMember(Guid.NewGuid(), Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("unauthenticated", await IdentityApi.CodeOf(anonymous));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/me")).StatusCode);
    }
}

[Collection(nameof(IdentityCollection))]
public sealed class MeTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task A_member_reads_their_profile_access_and_permissions()
    {
        var org = await Host.CreateOrganisationAsync();

        var me = await Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator)).GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal(org.Creator.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(("founder", org.Creator.Phone, "active", "admin", true, org.Slug), (
            me.GetProperty("username").GetString(), me.GetProperty("phone").GetString(), me.GetProperty("status").GetString(),
            me.GetProperty("role").GetString(), me.GetProperty("isAdmin").GetBoolean(), me.GetProperty("org").GetString()));
        Assert.True(me.GetProperty("permissions").GetProperty("admin_settings").GetBoolean());
        Assert.Equal(JsonValueKind.Array, me.GetProperty("groupIds").ValueKind);
    }

    [Fact]
    public async Task Renaming_oneself_is_announced_to_the_other_services()
    {
        var org = await Host.CreateOrganisationAsync();
        var client = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));

        var renamed = await client.PatchAsJsonAsync("/api/me", new { username = "  Pastor Amina " });
        var invalid = await client.PatchAsJsonAsync("/api/me", new { username = "" });
        var unknownField = await client.PatchAsJsonAsync("/api/me", new { phone = TestPhones.New() });

        Assert.Equal("Pastor Amina", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("username").GetString());
        var announced = await Host.Bus.WaitFor<MemberProfileChanged>(e => e.MemberId == org.Creator.Id);
        Assert.Equal(("Pastor Amina", org.Creator.Phone, org.Id), (announced.Username, announced.Phone, announced.OrgId));
        Assert.Equal(("validation_failed", "validation_failed"), (await IdentityApi.CodeOf(invalid), await IdentityApi.CodeOf(unknownField)));
    }

    [Fact]
    public async Task While_permission_does_not_answer_a_profile_without_a_copy_and_organisation_changes_are_unavailable_not_failed()
    {
        var org = await Host.CreateOrganisationAsync();
        var client = Host.ClientWith(await Host.LoginAsync(org.Slug, org.Creator));
        await Host.InDatabase(db => db.MemberAccess.Where(a => a.MemberId == org.Creator.Id).ExecuteDeleteAsync());
        Host.Team.PermissionHangs = true;
        HttpResponseMessage me, orgChange;
        try
        {
            me = await Host.AdvancingClockUntil(() => client.GetAsync("/api/me"));
            orgChange = await Host.AdvancingClockUntil(() => client.PatchAsJsonAsync("/api/org", new { name = "Not now" }));
        }
        finally
        {
            // The fake is the whole host's: the collection's next tests must find permission answering.
            Host.Team.PermissionHangs = false;
        }

        foreach (var response in new[] { me, orgChange })
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "service_unavailable"), (response.StatusCode, await IdentityApi.CodeOf(response)));
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }
}
