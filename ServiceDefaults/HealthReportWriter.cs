using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TeamPlatform.ServiceDefaults;

/// <summary>
/// Writes <c>/health</c>: <c>{"status":"Degraded","checks":{"rabbitmq":{"status":"Degraded","description":"…"}}}</c>.
/// Exceptions stay out of the body: it is public through the gateway.
/// </summary>
public static class HealthReportWriter
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        if (!IsReady(report))
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }

        http.Response.ContentType = "application/json";
        var checks = report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new CheckStatus(entry.Value.Status.ToString(), entry.Value.Description));
        return JsonSerializer.SerializeAsync(
            http.Response.Body, new Report(report.Status.ToString(), checks), SerializerOptions, http.RequestAborted);
    }

    /// <summary>Ready unless a check is unhealthy or a readiness check is not yet healthy.</summary>
    public static bool IsReady(HealthReport report) =>
        report.Status != HealthStatus.Unhealthy
        && report.Entries.Values.All(entry => entry.Status == HealthStatus.Healthy || !entry.Tags.Contains(Extensions.ReadinessTag));

    internal sealed record Report(string Status, Dictionary<string, CheckStatus> Checks);

    internal sealed record CheckStatus(string Status, string? Description);
}
