using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace TeamPlatform.Edge;

/// <summary>
/// A request whose gateway refused the connection is sent to another gateway: nothing of it reached the first, so sending
/// it again cannot do anything twice, and its body has not been read yet. Without this, every request that picks a
/// killed gateway before the health checks leave it out would fail. A failure after the connection was made (a gateway
/// killed mid-request) is answered as it is: the gateway may have acted on it.
/// </summary>
internal sealed class AnotherGatewayOnRefusal(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var untried = proxy.AvailableDestinations.ToList();
        while (true)
        {
            await next(context);

            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null || context.Response.HasStarted || !WasRefused(error) || proxy.ProxiedDestination is not { } refused)
            {
                return;
            }

            untried.Remove(refused);
            if (untried.Count == 0)
            {
                return;
            }

            proxy.AvailableDestinations = untried.ToList();
            context.Features.Set<IForwarderErrorFeature?>(null);
            context.Response.Clear();
        }
    }

    private static bool WasRefused(IForwarderErrorFeature error) =>
        error.Error is ForwarderError.Request
        && error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } refusal
        && refusal.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset };
}
