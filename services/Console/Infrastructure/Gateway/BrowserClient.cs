using TeamPlatform.ServiceDefaults.Security;

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

    /// <summary>
    /// Says who the browser is on a request to the gateway: its address (believed with the proxy key) and user agent.
    /// </summary>
    public void AddTo(HttpRequestMessage request, string proxyKey)
    {
        if (proxyKey.Length > 0 && Address is { } address)
        {
            request.Headers.Add(TrustedProxies.KeyHeader, proxyKey);
            request.Headers.Add("X-Forwarded-For", address);
        }

        if (UserAgent is { } agent)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", agent);
        }
    }
}
