using System.Diagnostics;
using System.Globalization;

namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// <c>Server-Timing: gateway;dur=…</c> (W3C Server Timing) on every answer: the milliseconds from the gateway taking the
/// request to starting its answer, the time of the service behind it included. Whatever a client waited beyond that was
/// the network's and its own (docs/decisions/0025-server-timing.md).
/// </summary>
internal sealed class ServerTiming(RequestDelegate next)
{
    public const string Header = "Server-Timing";

    public const string Metric = "gateway";

    public Task InvokeAsync(HttpContext context)
    {
        var taken = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Append(Header, Format(Stopwatch.GetElapsedTime(taken)));
            return Task.CompletedTask;
        });
        return next(context);
    }

    public static string Format(TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{Metric};dur={elapsed.TotalMilliseconds:0.0}");
}
