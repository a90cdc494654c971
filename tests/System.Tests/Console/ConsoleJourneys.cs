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
public sealed class ConsoleJourneys(SystemFixture system, BrowserFixture browsers)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    private Uri Gateway => system.Gateway.BaseAddress!;

    [Fact]
    public Task An_organisation_is_created_by_clicking_and_its_creator_lands_on_the_team_list_as_its_admin() =>
        browsers.Browser.JourneyAsync("create-organisation", Gateway, async journey =>
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
}
