namespace TeamPlatform.Console.Infrastructure.Gateway;

/// <summary>
/// The browser a console request serves, as the gateway in front saw it. The console forwards it on every API call it
/// makes for that browser, so that per-client limits count people, not the console (docs/decisions/0007-trusted-proxies.md).
/// </summary>
public sealed record BrowserClient(string? Address, string? UserAgent)
{
    public static readonly BrowserClient Unknown = new(null, null);

    public static BrowserClient Of(HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}
