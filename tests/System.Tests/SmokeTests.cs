using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.System.Tests;

/// <summary>
/// One of each process, as <c>./run.sh</c> starts it: up, a member joins end to end, the console answers. The rest of the
/// whole-system tests run on two of every process (<see cref="SystemCollection"/>).
/// </summary>
[Collection(nameof(SmokeCollection))]
public sealed class SmokeTests(SystemFixture system, BrowserFixture browsers)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task The_gateway_reports_every_service_healthy()
    {
        string[] checks = ["identity", "permission", "invitation", "notification", "session-revocations", "rabbitmq"];

        // Just started on a busy machine, a service may not answer the gateway's probe within its second yet (Degraded).
        var report = await Eventually.Until(
            async () =>
            {
                using var response = await system.Gateway.GetAsync("/health");
                return (response.StatusCode, Report: await response.Content.ReadFromJsonAsync<JsonElement>());
            },
            answer => answer.StatusCode == HttpStatusCode.OK
                      && checks.All(check => answer.Report.GetProperty("checks").TryGetProperty(check, out var c) && c.GetProperty("status").GetString() == "Healthy"),
            TimeSpan.FromSeconds(60),
            "every check of the gateway's health to be Healthy");

        Assert.Equal("Healthy", report.Report.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_second_member_registers_with_a_code_signs_in_and_is_an_active_admin()
    {
        var org = await _api.CreateOrganisationAsync();
        var member = await _api.RegisterAsync(org.Slug);
        await _api.SignInAsync(member, org.Slug);

        var me = await _api.GetJson(member, "/api/me");
        Assert.Equal(("active", true), (me.GetProperty("status").GetString(), me.GetProperty("isAdmin").GetBoolean()));
        var summary = await _api.GetJson(org.Creator, "/api/members/summary");
        Assert.Equal(0, summary.GetProperty("pendingApproval").GetInt32());
    }

    [Fact]
    public Task The_console_start_page_leads_to_the_organisation_form() =>
        browsers.JourneyAsync("smoke", system.Gateway.BaseAddress!, async journey =>
        {
            var visitor = await journey.OpenAsync("visitor");
            await visitor.GotoAsync("/");
            await visitor.ClickLinkAsync("Create an organisation");
            await visitor.ExpectHeadingAsync("Create an organisation");
        });
}
