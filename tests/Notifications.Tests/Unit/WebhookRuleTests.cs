using System.Net;
using TeamPlatform.Notifications.Domain;
using Xunit;

namespace TeamPlatform.Notifications.Tests.Unit;

/// <summary>Webhook targets, the retry schedule, disabling and rotation, without any I/O.</summary>
public sealed class WebhookRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("100.63.255.255", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("10.255.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("::ffff:192.168.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    public void Only_public_addresses_may_be_connected_to(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://hooks.example.org/x?token=1", false, true)]
    [InlineData("https://user:pass@hooks.example.org/x", false, false)]
    [InlineData("https://hooks.example.org/x#part", false, false)]
    [InlineData("not a url", false, false)]
    [InlineData("http://localhost:5000/hook", true, true)]
    [InlineData("http://localhost:5000/hook", false, false)]
    [InlineData("https://intranet/hook", false, false)]
    [InlineData("https://printer.local/hook", false, false)]
    public void Urls_are_judged_by_scheme_host_and_parts(string url, bool allowLocal, bool accepted) =>
        Assert.Equal(accepted, WebhookTargets.TryAccept(url, allowLocal, out _, out _));

    [Fact]
    public void A_delivery_is_tried_eight_times_over_about_a_day_then_fails()
    {
        var endpoint = Endpoint();
        var delivery = WebhookDelivery.For(endpoint, "MemberRegistered", Guid.NewGuid(), "{}", Now);
        var now = Now;
        var lastAttempt = false;
        var attempts = 0;
        while (!lastAttempt)
        {
            attempts++;
            lastAttempt = delivery.AttemptFailed(500, 12, "The endpoint answered 500.", now);
            if (!lastAttempt)
            {
                now = delivery.NextAttemptAt!.Value;
            }
        }

        Assert.Equal(8, attempts);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.InRange(now - Now, TimeSpan.FromHours(24), TimeSpan.FromHours(30));
    }

    [Fact]
    public void Giving_up_disables_the_endpoint_only_when_nothing_reached_it_since_the_delivery_began()
    {
        var reached = Endpoint();
        reached.Succeeded(Now.AddHours(3));
        var silent = Endpoint();

        Assert.False(reached.GaveUpOn(Now, Now.AddDays(1)));
        Assert.True(reached.IsEnabled);
        Assert.True(silent.GaveUpOn(Now, Now.AddDays(1)));
        Assert.Equal((false, WebhookDisabledReasons.PersistentFailure, (DateTimeOffset?)null), (silent.IsEnabled, silent.DisabledReason, silent.AdminsToldAt));
        Assert.False(silent.GaveUpOn(Now, Now.AddDays(2)));
    }

    [Fact]
    public void The_last_success_trails_the_latest_by_less_than_a_second_and_is_written_at_most_once_a_second()
    {
        var endpoint = Endpoint();
        var times = new List<DateTimeOffset?>();
        foreach (var at in new[] { 0, 400, 999, 1000, 1700, 2100 })
        {
            endpoint.Succeeded(Now.AddMilliseconds(at));
            times.Add(endpoint.LastSuccessAt);
        }

        Assert.Equal([Now, Now, Now, Now.AddSeconds(1), Now.AddSeconds(1), Now.AddMilliseconds(2100)], times);
    }

    [Fact]
    public void A_rotated_secret_signs_beside_the_new_one_for_a_day()
    {
        var endpoint = Endpoint();
        var expires = endpoint.Rotate("new", Now);

        Assert.Equal(Now.AddHours(24), expires);
        Assert.Equal(["new", "first"], endpoint.SigningSecrets(Now.AddHours(23)).ToArray());
        Assert.Equal(["new"], endpoint.SigningSecrets(Now.AddHours(24)).ToArray());
    }

    [Fact]
    public void An_endpoint_turned_off_keeps_events_for_replay_without_attempting_them()
    {
        var endpoint = Endpoint();
        endpoint.Change(endpoint.Url, endpoint.EventTypes, null, enabled: false, Now);
        var delivery = WebhookDelivery.For(endpoint, "MemberRegistered", Guid.NewGuid(), "{}", Now);

        Assert.Equal((WebhookDeliveryStatus.Skipped, (DateTimeOffset?)null), (delivery.Status, delivery.NextAttemptAt));
        Assert.Equal(Now, endpoint.AdminsToldAt);
        delivery.Replay(Now.AddHours(1));
        Assert.Equal((WebhookDeliveryStatus.Pending, (DateTimeOffset?)Now.AddHours(1)), (delivery.Status, delivery.NextAttemptAt));
    }

    private static WebhookEndpoint Endpoint() =>
        WebhookEndpoint.Register(Guid.NewGuid(), "https://hooks.example.org/x", ["MemberRegistered"], null, "first", Guid.NewGuid(), Now);
}
