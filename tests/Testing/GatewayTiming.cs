using System.Globalization;

namespace TeamPlatform.Testing;

/// <summary>What the gateway says it took for an answer: its <c>Server-Timing: gateway;dur=…</c> metric.</summary>
public static class GatewayTiming
{
    /// <summary>The gateway's own time for <paramref name="response"/>; null when the answer does not say.</summary>
    public static TimeSpan? Of(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Server-Timing", out var values)
            ? values.SelectMany(value => value.Split(','))
                .Select(metric => metric.Split(';', StringSplitOptions.TrimEntries))
                .Where(parts => parts[0] == "gateway")
                .SelectMany(parts => parts.Skip(1))
                .Where(parameter => parameter.StartsWith("dur=", StringComparison.Ordinal))
                .Select(parameter => double.TryParse(parameter[4..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null)
                .FirstOrDefault()
            : null;
}
