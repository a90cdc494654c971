using Yarp.ReverseProxy.Model;

namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// Security headers on every answer. The API's are strict: nothing it answers is a page to render, frame or script. The
/// console's pages set their own, which pass through; an answer the gateway gives for the console (it is not running)
/// gets the API's. The API reference at <c>/docs</c> is a page that runs Scalar's scripts, inline ones among them, so
/// its policy forbids what cannot harm Scalar (framing, plugins, another base address) and leaves scripts alone.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private static readonly KeyValuePair<string, string>[] ApiHeaders =
    [
        new("X-Content-Type-Options", "nosniff"),
        new("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        new("X-Frame-Options", "DENY"),
        new("Referrer-Policy", "no-referrer"),
    ];

    private static readonly KeyValuePair<string, string>[] ReferenceHeaders =
    [
        new("X-Content-Type-Options", "nosniff"),
        new("Content-Security-Policy", "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"),
        new("X-Frame-Options", "DENY"),
        new("Referrer-Policy", "no-referrer"),
    ];

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
            var headers = context.Response.Headers;
            if (route?.Config.ClusterId == Routing.GatewayRoutes.Console && headers.ContainsKey("Content-Security-Policy"))
            {
                return Task.CompletedTask;
            }

            foreach (var (name, value) in context.Request.Path.StartsWithSegments("/docs") ? ReferenceHeaders : ApiHeaders)
            {
                headers[name] = value;
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
