using Yarp.ReverseProxy.Model;

namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// The API's strict response headers: nothing it answers is a page to render, frame or script. The console's pages
/// and the API reference at <c>/docs</c> are pages: they set their own (the console) or need scripts (Scalar).
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

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
            if (route?.Config.ClusterId != Routing.GatewayRoutes.Console && !context.Request.Path.StartsWithSegments("/docs"))
            {
                foreach (var (name, value) in ApiHeaders)
                {
                    context.Response.Headers[name] = value;
                }
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
