namespace TeamPlatform.Testing;

/// <summary>How the console's journeys and its benchmark launch Debian's Chromium (headless, on a machine without a sandbox or GPU).</summary>
public static class Chromium
{
    /// <summary>
    /// The distribution's Chromium (<c>test.sh</c> installs it with apt), or <c>TP_CHROMIUM</c>; without either, null:
    /// Playwright's own browser, for a machine where <c>playwright.ps1 install</c> can download it.
    /// </summary>
    public static readonly string? ExecutablePath = Environment.GetEnvironmentVariable("TP_CHROMIUM")
        ?? (File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null);

    public static readonly IReadOnlyList<string> Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];
}
