using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using TeamPlatform.Console.Infrastructure.Api;

namespace TeamPlatform.Console.Features.Webhooks;

/// <summary>What the Webhooks screens say about an endpoint and its deliveries, in words rather than the API's codes.</summary>
public static class WebhookWords
{
    // The page shows it as text, encoded by the renderer: a phone's "+" is kept as it is rather than \u002B.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The statuses the delivery log filters by, with their labels; <c>all</c> is no filter.</summary>
    public static readonly IReadOnlyList<(string Status, string Label)> Statuses =
        [("all", "All"), ("pending", "Pending"), ("succeeded", "Succeeded"), ("failed", "Failed"), ("skipped", "Skipped")];

    /// <summary>On, or off and why: turned off by an admin, or by TeamPlatform after the receiver kept failing.</summary>
    public static string State(Webhook webhook) => webhook.Enabled ? "On" : $"Off: {DisabledReason(webhook.DisabledReason)}";

    public static string DisabledReason(string? reason) => reason switch
    {
        "disabled_by_admin" => "turned off by an admin",
        "persistent_failure" => "turned off after its deliveries kept failing",
        _ => "turned off",
    };

    /// <summary>The events an endpoint receives, in the order the API lists them.</summary>
    public static string Events(IReadOnlyCollection<string> eventTypes) =>
        eventTypes.Count == 0 ? "No events" : string.Join(", ", eventTypes);

    public static string LastSuccess(DateTimeOffset? at) => at is { } when ? At(when) : "Never";

    public static string At(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The body sent, indented to be read; or why it is no longer there.</summary>
    public static string Payload(JsonElement? payload) =>
        payload is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } body
            ? JsonSerializer.Serialize(body, Indented)
            : "No longer kept: payloads are kept for 7 days.";

    public static string Status(string status) => status switch
    {
        "pending" => "Pending",
        "succeeded" => "Succeeded",
        "failed" => "Failed",
        "skipped" => "Skipped",
        _ => status,
    };

    /// <summary>
    /// The last response: its HTTP status and how long it took, or that none came (a refused connection, a timeout);
    /// nothing before the first attempt.
    /// </summary>
    public static string Response(WebhookDelivery delivery)
    {
        var answer = delivery.LastResponseStatus is { } status ? status.ToString(CultureInfo.InvariantCulture) : delivery.Attempts == 0 ? "" : "No answer";
        return delivery.LastLatencyMs is null || answer.Length == 0 ? answer : $"{answer} in {Latency(delivery.LastLatencyMs)}";
    }

    public static string Latency(int? milliseconds) =>
        milliseconds is { } ms ? $"{ms.ToString("N0", CultureInfo.InvariantCulture)} ms" : "";

    /// <summary>
    /// A date and time typed in the browser's <c>datetime-local</c> input (no offset), read as UTC as the screen says;
    /// null when it is not one.
    /// </summary>
    public static DateTimeOffset? Since(string? typed) =>
        DateTime.TryParseExact(typed, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;
}
