using System.Text.Json;
using TeamPlatform.Console.Features.Webhooks;
using TeamPlatform.Console.Infrastructure.Api;
using Xunit;

namespace TeamPlatform.Console.Tests.Webhooks;

public sealed class WebhookWordsTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(true, null, "On")]
    [InlineData(false, "disabled_by_admin", "Off: turned off by an admin")]
    [InlineData(false, "persistent_failure", "Off: turned off after its deliveries kept failing")]
    [InlineData(false, null, "Off: turned off")]
    public void An_endpoint_says_whether_it_is_on_and_why_it_is_off(bool enabled, string? reason, string expected)
    {
        var webhook = new Webhook(Guid.NewGuid(), "https://example.org/hook", ["MemberRegistered"], "", enabled,
            enabled ? null : Created, reason, null, null, Created, Created);

        Assert.Equal(expected, WebhookWords.State(webhook));
    }

    [Fact]
    public void An_endpoint_never_reached_says_so_and_one_reached_says_when_in_utc()
    {
        Assert.Equal("Never", WebhookWords.LastSuccess(null));
        Assert.Equal("1 Dec 2026 09:30 UTC", WebhookWords.LastSuccess(new DateTimeOffset(2026, 12, 1, 12, 30, 0, TimeSpan.FromHours(3))));
    }

    [Fact]
    public void A_delivery_answered_says_its_status_and_latency_one_without_an_answer_says_so_and_one_not_yet_tried_says_nothing()
    {
        var answered = Delivery(attempts: 1, status: 204);
        var refused = Delivery(attempts: 2, status: null);
        var waiting = Delivery(attempts: 0, status: null);

        Assert.Equal(("204 in 42 ms", "No answer", ""), (WebhookWords.Response(answered), WebhookWords.Response(refused), WebhookWords.Response(waiting)));
        Assert.Equal(("1,250 ms", ""), (WebhookWords.Latency(1_250), WebhookWords.Latency(null)));
    }

    [Fact]
    public void A_payload_is_shown_indented_and_one_past_its_days_says_it_is_no_longer_kept()
    {
        var payload = JsonDocument.Parse("""{"type":"MemberRegistered","data":{"phone":"+254711234567"}}""").RootElement;

        var shown = WebhookWords.Payload(payload).ReplaceLineEndings("\n");
        Assert.Contains("\n  \"type\": \"MemberRegistered\"", shown);
        Assert.Contains("\"phone\": \"+254711234567\"", shown);
        Assert.Equal("No longer kept: payloads are kept for 7 days.", WebhookWords.Payload(null));
    }

    [Theory]
    [InlineData("2026-12-01T09:30", "2026-12-01T09:30:00+00:00")]
    [InlineData("2026-12-01T09:30:15", "2026-12-01T09:30:15+00:00")]
    [InlineData("", null)]
    [InlineData("yesterday", null)]
    public void The_instant_to_send_again_since_is_read_as_utc(string typed, string? expected)
    {
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), WebhookWords.Since(typed));
    }

    private static WebhookDelivery Delivery(int attempts, int? status) => new(
        Guid.NewGuid(), "msg_1", "MemberRegistered", Guid.NewGuid(), status is null ? "pending" : "succeeded", attempts, status,
        status is null ? null : 42, null, null, null, Created, null, null, null);
}
