using System.Diagnostics;
using Microsoft.Playwright;
using TeamPlatform.Testing;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// The console in a real browser, in an organisation of 100,000 members and 1,000 groups beside a 100-member one, in
/// one run (goal: time to the list shown, ratio ≤ 1.2): a <b>first load</b> of the team page (a fresh browser profile
/// that holds only the session cookie: every script and style is fetched, a circuit is opened) and a <b>team page</b>
/// visit inside an open console (the navigation link, one circuit). The two organisations take turns, view by view,
/// so that whatever the machine does meanwhile touches both alike. The console's own cost is read from its process
/// (CPU time in <c>/proc</c>) around each view.
/// </summary>
public static class ConsoleScenario
{
    private const string ListShown = ".member-grid .member-name";

    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        var api = new TeamPlatformClient(gateway);
        var console = ConsoleProcess.Find();
        var large = await SeededOrganisations.CreateAsync(api, options, members: 100_000, groups: 1_000);
        var small = await SeededOrganisations.CreateAsync(api, options, members: 100, groups: 10);
        Console.WriteLine($"settling for {options.Settle.TotalSeconds:F0} s");
        await Task.Delay(options.Settle);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Flags,
        });
        var organisations = new List<Organisation>();
        foreach (var (name, seeded) in new[] { ("100,000 members", large), ("100 members", small) })
        {
            organisations.Add(new Organisation(name, await SignInAsync(browser, options.Gateway, seeded)));
        }

        var views = new (string Kind, Func<Organisation, IPage, Task<View>> Measure)[]
        {
            ("first load", (org, _) => FirstLoadAsync(browser, options.Gateway, org, console)),
            ("team page", (_, open) => TeamPageAsync(open, console)),
        };
        foreach (var org in organisations)
        {
            org.Open = await OpenConsoleAsync(browser, options.Gateway, org.SignedIn);
        }

        foreach (var (kind, measure) in views)
        {
            for (var round = 0; round < options.Tries + 3; round++)
            {
                // Alternate which organisation goes first, so that neither always follows the other.
                foreach (var org in round % 2 == 0 ? organisations : organisations.AsEnumerable().Reverse())
                {
                    var view = await measure(org, org.Open!);
                    if (round >= 3)
                    {
                        org.Views(kind).Add(view);
                    }
                }
            }
        }

        foreach (var (kind, _) in views)
        {
            foreach (var org in organisations)
            {
                var measured = org.Views(kind);
                var shown = LatencyReport.Of($"{kind}, {org.Name}: list shown", measured.Select(v => v.ListShownMs).ToArray(), 0, TimeSpan.FromSeconds(1), null);
                var interactive = LatencyReport.Of($"{kind}, {org.Name}: interactive", measured.Select(v => v.InteractiveMs).ToArray(), 0, TimeSpan.FromSeconds(1), null);
                Console.WriteLine($"{shown.Name,-45} n={shown.Requests} p50={shown.P50,8:F1} ms p90={shown.P90,8:F1} ms max={shown.Max,8:F1} ms");
                Console.WriteLine($"{interactive.Name,-45} n={interactive.Requests} p50={interactive.P50,8:F1} ms p90={interactive.P90,8:F1} ms max={interactive.Max,8:F1} ms");
                Console.WriteLine($"{kind}, {org.Name}: console CPU per view {measured.Average(v => v.ConsoleCpuMs):F1} ms (mean of {measured.Count})");
            }

            var (inLarge, inSmall) = (organisations[0].Views(kind), organisations[1].Views(kind));
            Console.WriteLine($"{kind}: list shown p50 ratio (100,000 ÷ 100) = {Median(inLarge, v => v.ListShownMs) / Median(inSmall, v => v.ListShownMs):F3}, " +
                $"p90 ratio = {P90(inLarge, v => v.ListShownMs) / P90(inSmall, v => v.ListShownMs):F3}; " +
                $"console CPU ratio = {inLarge.Average(v => v.ConsoleCpuMs) / inSmall.Average(v => v.ConsoleCpuMs):F3}");
        }

        await MemoryPerConsoleAsync(browser, options.Gateway, organisations[0], console, tabs: 20);
    }

    private sealed class Organisation(string name, string signedIn)
    {
        private readonly Dictionary<string, List<View>> _views = [];

        public string Name { get; } = name;

        /// <summary>The browser state (cookies) of the signed-in creator.</summary>
        public string SignedIn { get; } = signedIn;

        /// <summary>A console kept open between team page visits.</summary>
        public IPage? Open { get; set; }

        public List<View> Views(string kind) => _views.TryGetValue(kind, out var views) ? views : _views[kind] = [];
    }

    private sealed record View(double ListShownMs, double InteractiveMs, double ConsoleCpuMs);

    private static double Median(List<View> views, Func<View, double> of) => Quantile(views, of, 0.5);

    private static double P90(List<View> views, Func<View, double> of) => Quantile(views, of, 0.9);

    private static double Quantile(List<View> views, Func<View, double> of, double quantile)
    {
        var sorted = views.Select(of).Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }

    /// <summary>Signs the creator in through the console's sign-in page; answers the browser state that holds the session cookie.</summary>
    private static async Task<string> SignInAsync(IBrowser browser, Uri gateway, SeededOrg seeded)
    {
        await using var context = await browser.NewContextAsync(Context(gateway, storageState: null));
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/o/{seeded.Org.Slug}");
        await page.Locator("[data-render='interactive']").WaitForAsync();
        await page.Locator("#phone input").FillAsync(seeded.Org.Creator.Phone);
        await page.Locator("#password input").FillAsync(TeamPlatformClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).WaitForAsync();
        return await context.StorageStateAsync();
    }

    private static BrowserNewContextOptions Context(Uri gateway, string? storageState) => new()
    {
        BaseURL = gateway.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        Locale = "en-GB",
        StorageState = storageState,
    };

    /// <summary>A fresh profile with only the session cookie opens the team page: nothing cached, a new circuit.</summary>
    private static async Task<View> FirstLoadAsync(IBrowser browser, Uri gateway, Organisation org, ConsoleProcess console)
    {
        await using var context = await browser.NewContextAsync(Context(gateway, org.SignedIn));
        var page = await context.NewPageAsync();
        var cpu = console.CpuMilliseconds();
        var started = Stopwatch.GetTimestamp();
        await page.GotoAsync("/team", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        var view = await ShownAsync(page, started, console, cpu);
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = false });
        return view;
    }

    /// <summary>From another page of an open console, the "Team members" link: the same circuit renders the team page.</summary>
    private static async Task<View> TeamPageAsync(IPage page, ConsoleProcess console)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "My profile", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "My profile" }).WaitForAsync();
        var cpu = console.CpuMilliseconds();
        var started = Stopwatch.GetTimestamp();
        await page.GetByRole(AriaRole.Link, new() { Name = "Team members", Exact = true }).ClickAsync();
        return await ShownAsync(page, started, console, cpu);
    }

    private static async Task<View> ShownAsync(IPage page, long started, ConsoleProcess console, double cpuBefore)
    {
        await page.Locator(ListShown).First.WaitForAsync();
        var shown = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await page.Locator("[data-render='interactive']").WaitForAsync();
        var interactive = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        // The console may still be rendering or fetching the pending list when the rows appear: let it finish before
        // reading its CPU time, so that the cost of one view is not charged to the next.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return new View(shown, interactive, console.CpuMilliseconds() - cpuBefore);
    }

    private static async Task<IPage> OpenConsoleAsync(IBrowser browser, Uri gateway, string signedIn)
    {
        var context = await browser.NewContextAsync(Context(gateway, signedIn));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/profile");
        await page.Locator("[data-render='interactive']").WaitForAsync();
        return page;
    }

    /// <summary>Resident memory of the console with many team pages open at once (one circuit each), per open page.</summary>
    private static async Task MemoryPerConsoleAsync(IBrowser browser, Uri gateway, Organisation org, ConsoleProcess console, int tabs)
    {
        var before = console.ResidentMegabytes();
        await using var context = await browser.NewContextAsync(Context(gateway, org.SignedIn));
        for (var i = 0; i < tabs; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/team");
            await page.Locator(ListShown).First.WaitForAsync();
            await page.Locator("[data-render='interactive']").WaitForAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = console.ResidentMegabytes();
        Console.WriteLine($"console resident memory: {before:F0} MB, with {tabs} team pages of {org.Name} open {after:F0} MB: {(after - before) / tabs:F2} MB per open page");
    }
}
