using Microsoft.Playwright;
using TeamPlatform.Testing;

namespace TeamPlatform.System.Tests.Console;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright: the console as a person uses it, by clicking. One browser for the
/// test run; each journey opens fresh contexts (a fresh profile: its own cookies) for each person it follows.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    /// <summary>Where a failed journey leaves its screenshots and pages, and every journey its named screenshots.</summary>
    public static readonly string Artifacts = Environment.GetEnvironmentVariable("TP_TEST_ARTIFACTS")
        ?? Path.Combine(Path.GetTempPath(), "teamplatform-console");

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        // Two cores run the whole system beside the browser: a step may take seconds, not milliseconds.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Flags,
        });
        return new ConsoleBrowser(playwright, browser);
    }

    /// <summary>
    /// Runs a journey with its own folder of screenshots. On failure every page the journey opened is saved (a screenshot
    /// and its HTML) before the failure goes on.
    /// </summary>
    public async Task JourneyAsync(string name, Uri gateway, Func<Journey, Task> steps)
    {
        var journey = new Journey(_browser, gateway, Path.Combine(Artifacts, name));
        try
        {
            await steps(journey);
        }
        catch
        {
            await journey.SaveEverythingAsync();
            throw;
        }
        finally
        {
            await journey.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>The people of one journey, each in a browser of their own.</summary>
public sealed class Journey(IBrowser browser, Uri gateway, string folder) : IAsyncDisposable
{
    private readonly List<(string Who, IBrowserContext Context, ConsolePage Page)> _people = [];

    public Uri Gateway { get; } = gateway;

    /// <summary>A new person: a browser context of their own (no cookies), phone-sized when asked.</summary>
    public async Task<ConsolePage> OpenAsync(string who, bool phoneSized = false)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Gateway.ToString(),
            ViewportSize = phoneSized ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(20_000);
        var page = new ConsolePage(await context.NewPageAsync(), folder, who);
        _people.Add((who, context, page));
        return page;
    }

    public async Task SaveEverythingAsync()
    {
        Directory.CreateDirectory(folder);
        foreach (var (who, _, page) in _people)
        {
            await page.SaveAsync($"failed-{who}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, context, _) in _people)
        {
            await context.DisposeAsync();
        }
    }
}

/// <summary>One person's page, with the few moves every journey makes.</summary>
public sealed class ConsolePage
{
    private readonly string _folder;
    private readonly string _who;
    private readonly List<string> _browserLog = [];

    public ConsolePage(IPage page, string folder, string who)
    {
        (Page, _folder, _who) = (page, folder, who);
        // What the browser itself reported (script errors, refused requests) goes with a failed journey's pages.
        page.Console += (_, message) => _browserLog.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => _browserLog.Add($"page error: {error}");
    }

    public IPage Page { get; }

    /// <summary>Opens a console path and waits until its circuit is live: a click before that would be lost.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await ReadyAsync();
    }

    private Task ReadyAsync() => Page.Locator("[data-render='interactive']").WaitForAsync();

    /// <summary>Types into the text field with this id (the input inside the component).</summary>
    public Task FillAsync(string id, string text) => Page.Locator($"#{id} input").FillAsync(text);

    public Task ClickAsync(string button) => Button(button).ClickAsync();

    public Task ClickLinkAsync(string link) => Page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();

    private ILocator Heading(string text) => Page.GetByRole(AriaRole.Heading, new() { Name = text });

    public Task ExpectHeadingAsync(string text) => Assertions.Expect(Heading(text)).ToBeVisibleAsync();

    public Task ExpectTextAsync(string text) => Assertions.Expect(Page.GetByText(text).First).ToBeVisibleAsync();

    private ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>A radio button inside the fieldset of one permission (or other choice) of the access editor.</summary>
    public ILocator Radio(string fieldset, string name) =>
        Page.Locator($"fieldset[data-permission='{fieldset}']").GetByRole(AriaRole.Radio, new() { Name = name, Exact = true });

    public ILocator Switch(string name) => Page.GetByRole(AriaRole.Switch, new() { Name = name, Exact = true });

    /// <summary>The confirmation dialog's button.</summary>
    public Task ConfirmAsync(string button) =>
        Page.Locator("fluent-dialog").GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();

    /// <summary>Signs in on the organisation's page and waits for the signed-in console.</summary>
    public async Task SignInAsync(string slug, string phone, string password)
    {
        await GotoAsync($"/o/{slug}");
        await FillAsync("phone", phone);
        await FillAsync("password", password);
        await ClickAsync("Sign in");
        await Assertions.Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
    }

    /// <summary>Fills the join form of an organisation (or of an invitation) and enters the code WhatsApp brought.</summary>
    public async Task RegisterAsync(string username, string phone, string password, Func<Task<string>> code)
    {
        await FillAsync("username", username);
        await FillAsync("phone", phone);
        await FillAsync("password", password);
        await ClickAsync("Send me a code");
        await ExpectHeadingAsync("Enter the code");
        await FillAsync("code", await code());
        await ClickAsync("Verify");
    }

    /// <summary>Waits until the navigation shows exactly these links, as the member sees them.</summary>
    public Task ExpectNavigationAsync(params string[] links) =>
        Assertions.Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(links);

    /// <summary>A screenshot of the page as it is now, kept with the journey's others (the README's come from here).</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_folder, $"{name}.png"), FullPage = true });

    public async Task SaveAsync(string name)
    {
        try
        {
            await ScreenshotAsync(name);
            await File.WriteAllTextAsync(Path.Combine(_folder, $"{name}.html"), await Page.ContentAsync());
            await File.WriteAllLinesAsync(Path.Combine(_folder, $"{name}.log"), _browserLog);
        }
        catch (PlaywrightException)
        {
            // A page that is closing cannot be saved; the other pages still are.
        }
    }

    public override string ToString() => _who;
}
