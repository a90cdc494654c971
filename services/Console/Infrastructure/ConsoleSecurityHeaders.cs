namespace TeamPlatform.Console.Infrastructure;

/// <summary>
/// The console's own response headers: its pages run its scripts and the component library's (plus the page's import map,
/// allowed by a nonce of that response), open one websocket to this origin, and are never framed. (The API behind the
/// gateway has stricter ones: it serves no pages.)
/// </summary>
public sealed class ConsoleSecurityHeaders(RequestDelegate next)
{
    private const string NonceKey = "csp-nonce";

    /// <summary>The nonce of this response's inline import map.</summary>
    public static string NonceOf(HttpContext context) => (string)context.Items[NonceKey]!;

    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        return next(context);
    }
}
