using TeamPlatform.Gateway.Edge;
using TeamPlatform.ServiceDefaults.Api;
using Yarp.ReverseProxy.Forwarder;

namespace TeamPlatform.Gateway.Routing;

/// <summary>
/// A route whose service does not answer (not started, exited, refusing connections, or silent for longer than
/// <see cref="GatewayOptions.ServiceTimeout"/>) gets <c>503 service_unavailable</c> with <c>Retry-After</c>, the answer
/// docs/operations.md#health promises, instead of the proxy's bare 502 or 504.
/// </summary>
public sealed class ServiceUnavailableAnswer(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted || context.Response.StatusCode < StatusCodes.Status500InternalServerError
            || error.Error is ForwarderError.RequestCanceled)
        {
            return;
        }

        var service = context.GetReverseProxyFeature().Route.Cluster?.ClusterId ?? "requested";
        context.Response.Clear();
        await ApiProblem.WriteServiceUnavailableAsync(context, service);
    }

    /// <summary>How long a service may stay silent before the gateway answers for it; the console's circuits are exempt.</summary>
    public static ForwarderRequestConfig RequestConfig(IConfiguration configuration) => new()
    {
        ActivityTimeout = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>()?.ServiceTimeout
            ?? new GatewayOptions().ServiceTimeout,
    };
}
