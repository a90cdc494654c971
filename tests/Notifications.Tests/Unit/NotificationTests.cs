using TeamPlatform.Notifications.Domain;
using Xunit;

namespace TeamPlatform.Notifications.Tests.Unit;

/// <summary>The delivery log entry's rules, without any I/O.</summary>
public sealed class NotificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ReceiptWait = TimeSpan.FromMinutes(1);
    private static readonly RetryPolicy Retries = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 4, ReceiptWait);

    [Fact]
    public void Transient_failures_back_off_exponentially_up_to_the_cap_then_fail()
    {
        var entry = Queue(ChannelNames.Sms, giveUpAt: Now.AddDays(1));
        var delays = new List<TimeSpan>();
        var now = Now;
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Null(entry.StartAttempt("twilio", now, now.AddMinutes(1)));
            entry.RecordAttempt(new SendResult.Transient("twilio 503"), Retries, jitter: 0.5, now);
            if (entry.Status == DeliveryStatus.Queued)
            {
                delays.Add(entry.NextAttemptAt!.Value - now);
                Assert.Equal(RefusalKind.NotDue, entry.StartAttempt("twilio", now, now.AddMinutes(1))?.Kind); // not before its time
                now = entry.NextAttemptAt.Value;
            }
        }

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], delays);
        Assert.Equal((DeliveryStatus.Failed, 4), (entry.Status, entry.Attempts));
        Assert.StartsWith("gave up after 4 attempts", entry.LastError, StringComparison.Ordinal);
        Assert.Null(entry.ProtectedSecrets);
    }

    [Fact]
    public void The_backoff_is_capped_jittered_and_honours_a_longer_retry_after()
    {
        var policy = new RetryPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), 20, ReceiptWait);

        Assert.Equal(TimeSpan.FromMinutes(1), policy.DelayAfter(10, jitter: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(8), policy.DelayAfter(1, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(12), policy.DelayAfter(1, jitter: 1));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.DelayAfter(1, jitter: 0.5, retryAfter: TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromMinutes(1), policy.DelayAfter(1, jitter: 0.5, retryAfter: TimeSpan.FromHours(1)));
    }

    [Fact]
    public void An_otp_is_not_attempted_after_it_expired()
    {
        var entry = Queue(ChannelNames.Sms, giveUpAt: Now.AddMinutes(5));
        Assert.Null(entry.StartAttempt("twilio", Now, Now.AddMinutes(1)));
        entry.RecordAttempt(new SendResult.Transient("twilio 503"), new RetryPolicy(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(10), 10, ReceiptWait), 0.5, Now);
        Assert.Equal(DeliveryStatus.Queued, entry.Status);

        // The next retry would be after the expiry: the message fails instead.
        entry = Queue(ChannelNames.Sms, giveUpAt: Now.AddMinutes(5));
        Assert.Null(entry.StartAttempt("twilio", Now, Now.AddMinutes(1)));
        entry.RecordAttempt(new SendResult.Transient("twilio 503"), new RetryPolicy(TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(10), 10, ReceiptWait), 0.5, Now);
        Assert.Equal(DeliveryStatus.Failed, entry.Status);
    }

    [Fact]
    public void A_permanent_failure_stops_at_once()
    {
        var entry = Queue(ChannelNames.Sms);
        entry.StartAttempt("twilio", Now, Now.AddMinutes(1));
        entry.RecordAttempt(new SendResult.Permanent("twilio 400 error 21211"), Retries, 0.5, Now);

        Assert.Equal((DeliveryStatus.Failed, 1, "twilio 400 error 21211"), (entry.Status, entry.Attempts, entry.LastError));
        Assert.Equal(Now, entry.FailedAt);
    }

    [Fact]
    public void Receipts_only_move_forward()
    {
        var entry = Sent(ChannelNames.WhatsApp);

        Assert.True(entry.ApplyReceipt(DeliveryStatus.Read, null, Now.AddSeconds(2)));
        Assert.False(entry.ApplyReceipt(DeliveryStatus.Delivered, null, Now.AddSeconds(3)));
        Assert.False(entry.ApplyReceipt(DeliveryStatus.Failed, "late failure", Now.AddSeconds(4)));
        Assert.False(entry.ApplyReceipt(DeliveryStatus.Sent, null, Now.AddSeconds(5)));

        Assert.Equal(DeliveryStatus.Read, entry.Status);
        Assert.Equal(Now.AddSeconds(2), entry.DeliveredAt);
        Assert.Null(entry.FallbackAt);
        Assert.Null(entry.ProtectedSecrets);
    }

    [Fact]
    public void A_receipt_for_a_message_not_yet_sent_changes_nothing()
    {
        var entry = Queue(ChannelNames.WhatsApp);
        Assert.False(entry.ApplyReceipt(DeliveryStatus.Delivered, null, Now));
        Assert.Equal(DeliveryStatus.Queued, entry.Status);
    }

    [Fact]
    public void Whatsapp_not_delivered_in_time_hands_the_message_and_its_secrets_to_sms()
    {
        var entry = Sent(ChannelNames.WhatsApp);
        Assert.False(entry.IsFallbackDue(Now.AddSeconds(59)));
        Assert.True(entry.IsFallbackDue(Now.AddSeconds(60)));

        Assert.Null(entry.FallBackToSms("twilio", Now.AddSeconds(60), out var sms));

        Assert.NotNull(sms);
        Assert.Equal((ChannelNames.Sms, DeliveryStatus.Queued, entry.Id, "protected"), (sms.Channel, sms.Status, sms.FallbackOf, sms.ProtectedSecrets));
        Assert.Equal((entry.SourceMessageId, entry.Body, entry.Recipient), (sms.SourceMessageId, sms.Body, sms.Recipient));
        Assert.Equal(DeliveryStatus.Sent, entry.Status);
        Assert.Null(entry.ProtectedSecrets);
        Assert.Null(entry.FallbackAt);
    }

    [Fact]
    public void Whatsapp_still_retrying_when_its_time_is_up_fails_and_sms_takes_over()
    {
        var entry = Queue(ChannelNames.WhatsApp);
        entry.StartAttempt("whatsapp_cloud", Now, Now.AddMinutes(1));
        entry.RecordAttempt(new SendResult.Transient("whatsapp 503"), Retries, 0.5, Now);

        Assert.Null(entry.FallBackToSms("twilio", Now.AddSeconds(60), out var sms));

        Assert.Equal(DeliveryStatus.Failed, entry.Status);
        Assert.Contains("sent by SMS instead", entry.LastError, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Queued, sms?.Status);
    }

    [Fact]
    public void Only_whatsapp_falls_back_and_only_when_failed_or_out_of_time()
    {
        var early = Sent(ChannelNames.WhatsApp);
        var email = Sent(ChannelNames.Email);

        Assert.Equal(RefusalKind.NoFallback, early.FallBackToSms("twilio", Now.AddSeconds(1), out var notYet)?.Kind);
        Assert.Equal(RefusalKind.NoFallback, email.FallBackToSms("twilio", Now.AddHours(1), out var notEmail)?.Kind);
        Assert.Equal((null, null), (notYet, notEmail));
        Assert.Equal((DeliveryStatus.Sent, Now.AddSeconds(60), "protected"), (early.Status, early.FallbackAt, early.ProtectedSecrets));
    }

    [Fact]
    public void A_message_past_its_time_is_refused_an_attempt_and_fails()
    {
        var entry = Queue(ChannelNames.Sms, giveUpAt: Now.AddMinutes(5));

        Assert.Equal(RefusalKind.TooLate, entry.StartAttempt("twilio", Now.AddMinutes(6), Now.AddMinutes(7))?.Kind);
        Assert.Equal((DeliveryStatus.Failed, 0, "expired before it could be sent"), (entry.Status, entry.Attempts, entry.LastError));
        Assert.Equal(RefusalKind.NotDue, entry.StartAttempt("twilio", Now.AddMinutes(7), Now.AddMinutes(8))?.Kind);
    }

    [Fact]
    public void An_unknown_outcome_is_not_retried_but_waits_for_the_receipt_until_its_deadline()
    {
        var entry = Queue(ChannelNames.Sms);
        Assert.Null(entry.StartAttempt("twilio", Now, Now.AddSeconds(80)));
        Assert.Equal((Now, Now.AddSeconds(80), (DateTimeOffset?)null), (entry.AttemptStartedAt, entry.ReceiptDeadline, entry.NextAttemptAt));

        entry.RecordAttempt(new SendResult.Unknown("twilio: no answer within 20 s", ProviderErrorKind.Timeout), Retries, 0.5, Now.AddSeconds(20));

        Assert.Equal((DeliveryStatus.Queued, (DateTimeOffset?)null, Now.AddSeconds(80)), (entry.Status, entry.AttemptStartedAt, entry.ReceiptDeadline));
        Assert.False(entry.IsDue(Now.AddHours(1)));
        Assert.False(entry.IsReceiptOverdue(Now.AddSeconds(79)));
        Assert.True(entry.IsReceiptOverdue(Now.AddSeconds(80)));
        Assert.Equal(RefusalKind.NotDue, entry.StartAttempt("twilio", Now.AddSeconds(30), Now.AddMinutes(2))?.Kind);
        Assert.EndsWith("outcome unknown, waiting for the provider's receipt", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_settles_an_unknown_outcome_and_names_the_providers_message()
    {
        var entry = Queue(ChannelNames.WhatsApp);
        entry.StartAttempt("whatsapp_cloud", Now, Now.AddSeconds(80));
        entry.RecordAttempt(new SendResult.Unknown("whatsapp: no answer within 20 s", ProviderErrorKind.Timeout), Retries, 0.5, Now.AddSeconds(20));

        Assert.True(entry.ApplyReceipt(DeliveryStatus.Delivered, null, Now.AddSeconds(30), "wamid.late"));

        Assert.Equal((DeliveryStatus.Delivered, "wamid.late", (DateTimeOffset?)null, (string?)null), (entry.Status, entry.ProviderMessageId, entry.ReceiptDeadline, entry.LastError));
        Assert.Null(entry.ProtectedSecrets);
        Assert.False(entry.IsReceiptOverdue(Now.AddHours(1)));
        Assert.False(entry.IsFallbackDue(Now.AddHours(1)));
    }

    [Fact]
    public void A_receipt_during_the_call_wins_and_the_late_answer_only_names_the_message()
    {
        var entry = Queue(ChannelNames.Sms);
        entry.StartAttempt("twilio", Now, Now.AddSeconds(80));
        Assert.True(entry.ApplyReceipt(DeliveryStatus.Sent, null, Now.AddSeconds(1), null));

        entry.RecordAttempt(new SendResult.Accepted("SM1"), Retries, 0.5, Now.AddSeconds(2));

        Assert.Equal((DeliveryStatus.Sent, "SM1", (DateTimeOffset?)null), (entry.Status, entry.ProviderMessageId, entry.AttemptStartedAt));
    }

    [Fact]
    public void No_receipt_by_the_deadline_sends_again_until_the_attempts_run_out()
    {
        var entry = Queue(ChannelNames.Sms);
        var now = Now;
        for (var attempt = 1; attempt <= Retries.MaxAttempts; attempt++)
        {
            Assert.Null(entry.StartAttempt("twilio", now, now.AddSeconds(80)));
            entry.RecordAttempt(new SendResult.Unknown("twilio: no answer within 20 s", ProviderErrorKind.Timeout), Retries, 0.5, now.AddSeconds(20));
            now = entry.ReceiptDeadline!.Value;
            entry.ResendAfterNoReceipt(Retries, now);
            if (attempt < Retries.MaxAttempts)
            {
                Assert.Equal((DeliveryStatus.Queued, now), (entry.Status, entry.NextAttemptAt));
                Assert.StartsWith("no receipt in time, sending again", entry.LastError, StringComparison.Ordinal);
            }
        }

        Assert.Equal((DeliveryStatus.Failed, 4), (entry.Status, entry.Attempts));
        Assert.StartsWith("gave up after 4 attempts, no receipt", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whatsapp_message_whose_receipt_is_overdue_may_fall_back_and_not_before()
    {
        var entry = Queue(ChannelNames.WhatsApp);
        entry.StartAttempt("whatsapp_cloud", Now, Now.AddSeconds(80));
        entry.RecordAttempt(new SendResult.Unknown("whatsapp: no answer within 20 s", ProviderErrorKind.Timeout), Retries, 0.5, Now.AddSeconds(20));

        // Its usual fallback time (60 s) passes while the receipt is awaited: nothing yet.
        Assert.False(entry.IsFallbackDue(Now.AddSeconds(70)));
        Assert.Equal(RefusalKind.NoFallback, entry.EnsureMayFallBack(Now.AddSeconds(70))?.Kind);

        Assert.Null(entry.FallBackToSms("twilio", Now.AddSeconds(80), out var sms));
        Assert.Equal((DeliveryStatus.Failed, (DateTimeOffset?)null), (entry.Status, entry.ReceiptDeadline));
        Assert.Equal(DeliveryStatus.Queued, sms?.Status);
    }

    [Fact]
    public void An_attempt_cut_short_by_a_crash_is_an_unknown_outcome_until_its_deadline()
    {
        var entry = Queue(ChannelNames.WhatsApp);
        entry.StartAttempt("whatsapp_cloud", Now, Now.AddSeconds(80));

        // Nothing was recorded after the call: no attempt is due, the receipt decides, then the deadline.
        Assert.False(entry.IsDue(Now.AddSeconds(79)));
        Assert.False(entry.IsFallbackDue(Now.AddSeconds(79)));
        Assert.True(entry.IsReceiptOverdue(Now.AddSeconds(80)));
        Assert.True(entry.ApplyReceipt(DeliveryStatus.Read, null, Now.AddSeconds(30), "wamid.x"));
        Assert.Equal((DeliveryStatus.Read, (DateTimeOffset?)null), (entry.Status, entry.AttemptStartedAt));
    }

    [Theory]
    [InlineData(DeliveryStatus.Queued, "queued")]
    [InlineData(DeliveryStatus.Sent, "sent")]
    [InlineData(DeliveryStatus.Delivered, "delivered")]
    [InlineData(DeliveryStatus.Read, "read")]
    [InlineData(DeliveryStatus.Failed, "failed")]
    public void A_status_keeps_its_wire_name_both_ways(DeliveryStatus status, string name)
    {
        Assert.Equal(name, DeliveryStatuses.NameOf(status));
        Assert.True(DeliveryStatuses.TryParse(name, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Fact]
    public void A_status_name_that_is_not_one_is_refused_not_ranked()
    {
        Assert.False(DeliveryStatuses.TryParse("deliverd", out _));
        Assert.False(DeliveryStatuses.TryParse("Sent", out _));
        Assert.Throws<ArgumentException>(() => DeliveryStatuses.Parse("deliverd"));
    }

    [Fact]
    public void Without_fallback_a_sent_whatsapp_message_forgets_its_secrets_and_a_queued_one_keeps_them_for_retries()
    {
        var sent = Sent(ChannelNames.WhatsApp);
        sent.GoOnWithoutFallback(Now.AddMinutes(1));
        var queued = Queue(ChannelNames.WhatsApp);
        queued.GoOnWithoutFallback(Now.AddMinutes(1));

        Assert.Equal((null, null), (sent.ProtectedSecrets, sent.FallbackAt));
        Assert.Equal(("protected", null), (queued.ProtectedSecrets, queued.FallbackAt));
    }

    [Fact]
    public void An_sms_or_email_forgets_its_secrets_once_sent()
    {
        var entry = Sent(ChannelNames.Email);
        Assert.Null(entry.ProtectedSecrets);
        Assert.Null(entry.FallbackAt);
    }

    private static Notification Queue(string channel, DateTimeOffset? giveUpAt = null) => Notification.Queue(
        Guid.NewGuid(), Guid.NewGuid(), channel, "p", channel == ChannelNames.Email ? "a@example.org" : "+254711234567",
        MessageTemplates.Render(TemplateNames.Otp, "en", new Dictionary<string, string> { ["code"] = "123456", ["organisation"] = "Hope", ["minutes"] = "5" }),
        "protected", giveUpAt ?? Now.AddDays(1), TimeSpan.FromSeconds(60), Now);

    private static Notification Sent(string channel)
    {
        var entry = Queue(channel);
        entry.StartAttempt("p", Now, Now.AddMinutes(1));
        entry.RecordAttempt(new SendResult.Accepted("provider-id"), Retries, 0.5, Now);
        return entry;
    }
}
