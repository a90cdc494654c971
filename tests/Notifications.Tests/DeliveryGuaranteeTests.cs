using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.Notifications.Tests.Fakes;
using TeamPlatform.Testing;
using WireMock.Server;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>
/// Messages to people are at least once, with duplicates kept to what providers force (docs/notifications.md, "Delivery
/// guarantee"): providers answering 5xx, refusing, never answering; crashes before and during the call. Every test
/// counts what the providers received.
/// </summary>
public sealed class DeliveryGuaranteeTests : IAsyncLifetime
{
    private static readonly TimeSpan ReceiptWait = TimeSpan.FromSeconds(90);
    // Long enough for a worker polling every 50 ms to act on anything due; a resend would show well within it.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(600);

    private readonly WireMockServer _providers = WireMockServer.Start();
    private readonly List<NotificationHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.AssertLogsClean();
            await host.DisposeAsync();
        }

        _providers.Stop();
    }

    [Fact]
    public async Task A_provider_answering_500_twice_then_200_sends_one_message_after_backing_off()
    {
        var host = await StartAsync();
        var orgId = await host.CreateOrganisationAsync(smsFallback: false);
        var phone = TestPhones.New();
        var scenario = $"500-500-200-{phone}";
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).InScenario(scenario).WillSetStateTo("failed once")
            .RespondWith(ProviderStubs.WhatsAppError(500, 1, "An unknown error occurred"));
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).InScenario(scenario).WhenStateIs("failed once").WillSetStateTo("failed twice")
            .RespondWith(ProviderStubs.WhatsAppError(500, 1, "An unknown error occurred"));
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).InScenario(scenario).WhenStateIs("failed twice")
            .RespondWith(ProviderStubs.WhatsAppAccepted("wamid.third-time"));

        await host.SendAsync(host.Otp(orgId, phone, "500500"));
        var delays = new List<TimeSpan>();
        for (var attempts = 1; attempts <= 2; attempts++)
        {
            var waiting = (await host.EntriesTo(phone, e => e.Count == 1 && e[0].Attempts == attempts && e[0].NextAttemptAt is not null, $"attempt {attempts} to fail")).Single();
            var delay = waiting.NextAttemptAt!.Value - host.Time.GetUtcNow();
            delays.Add(delay);

            // Not a moment before the backoff has passed.
            await host.AdvanceAsync(delay - TimeSpan.FromSeconds(1));
            await Task.Delay(Settle);
            Assert.Equal(attempts, WhatsAppRequests(phone));
            await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        var sent = (await host.EntriesTo(phone, e => e.Count == 1 && e[0].Status == DeliveryStatus.Sent, "the third attempt")).Single();
        Assert.InRange(delays[0], TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(24));
        Assert.Equal((3, "wamid.third-time"), (sent.Attempts, sent.ProviderMessageId));
        Assert.Equal(3, WhatsAppRequests(phone));
        Assert.Equal(0, SmsRequests(phone));
    }

    [Fact]
    public async Task A_refusal_is_not_sent_again()
    {
        var host = await StartAsync();
        var orgId = await host.CreateOrganisationAsync(smsFallback: false);
        var phone = TestPhones.New();
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppError(400, 132001, "Template name does not exist"));
        using var errors = host.Services.Collect<long>(NotificationMetrics.MeterName, "teamplatform.notifications.provider.errors");

        await host.SendAsync(host.Otp(orgId, phone, "400400"));
        await host.EntriesTo(phone, e => e.Count == 1 && e[0].Status == DeliveryStatus.Failed, "the refusal");
        await host.AdvanceAsync(TimeSpan.FromHours(1));
        await Task.Delay(Settle);

        Assert.Equal(1, WhatsAppRequests(phone));
        Assert.Equal(1, errors.Sum(("kind", "refusal"), ("result", "permanent")));
        Assert.Equal(1, errors.Sum());
    }

    [Fact]
    public async Task A_timeout_is_not_sent_again_before_the_receipt_deadline_then_goes_out_by_sms_once()
    {
        var host = await StartAsync(whatsAppLimit: "00:00:01");
        var orgId = await host.CreateOrganisationAsync(smsFallback: true);
        var phone = TestPhones.New();
        AnswerTooLateOnce(phone);
        _providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted($"SM{Guid.NewGuid():N}"));
        using var errors = host.Services.Collect<long>(NotificationMetrics.MeterName, "teamplatform.notifications.provider.errors");
        using var awaiting = host.Services.Collect<long>(NotificationMetrics.MeterName, "teamplatform.notifications.awaiting_receipt");

        await host.SendAsync(host.Otp(orgId, phone, "123321"));
        var unknown = (await host.EntriesTo(phone, e => e.Count == 1 && e[0].LastError?.Contains("outcome unknown", StringComparison.Ordinal) == true, "the timeout")).Single();
        Assert.Equal((DeliveryStatus.Queued, (DateTimeOffset?)null, (DateTimeOffset?)null), (unknown.Status, unknown.NextAttemptAt, unknown.AttemptStartedAt));
        Assert.Equal(host.Time.GetUtcNow() + ReceiptWait, unknown.ReceiptDeadline);
        Assert.Equal(1, errors.Sum(("channel", ChannelNames.WhatsApp), ("kind", "timeout"), ("result", "unknown")));
        await WhatsAppReceivedAsync(phone);
        Assert.Equal(1, await Eventually.Until(
            () =>
            {
                awaiting.RecordObservableInstruments();
                return Task.FromResult(awaiting.LastMeasurement?.Value ?? -1);
            },
            value => value >= 0,
            what: "the count of messages awaiting a receipt"));

        // Past WhatsApp's usual fallback time (60 s), one second short of the receipt's deadline: nothing goes out.
        await host.AdvanceAsync(ReceiptWait - TimeSpan.FromSeconds(1));
        await Task.Delay(Settle);
        Assert.Equal((1, 0), (WhatsAppRequests(phone), SmsRequests(phone)));
        Assert.Equal(DeliveryStatus.Queued, (await host.EntriesTo(phone)).Single().Status);

        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var entries = await host.EntriesTo(phone, e => e.Any(n => n.Channel == ChannelNames.Sms && n.Status == DeliveryStatus.Sent), "the SMS fallback");
        var whatsApp = entries.Single(n => n.Channel == ChannelNames.WhatsApp);
        Assert.Equal(DeliveryStatus.Failed, whatsApp.Status);
        Assert.Contains("sent by SMS instead", whatsApp.LastError, StringComparison.Ordinal);

        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        await Task.Delay(Settle);
        Assert.Equal((1, 1), (WhatsAppRequests(phone), SmsRequests(phone)));
        Assert.Equal(2, (await host.EntriesTo(phone)).Count);
    }

    [Fact]
    public async Task A_receipt_before_the_deadline_settles_a_timeout_with_no_fallback_and_no_resend()
    {
        var host = await StartAsync(whatsAppLimit: "00:00:01");
        var orgId = await host.CreateOrganisationAsync(smsFallback: true);
        var phone = TestPhones.New();
        AnswerTooLateOnce(phone);
        _providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted($"SM{Guid.NewGuid():N}"));

        await host.SendAsync(host.Otp(orgId, phone, "654456"));
        var unknown = (await host.EntriesTo(phone, e => e.Count == 1 && e[0].ReceiptDeadline is not null && e[0].AttemptStartedAt is null, "the timeout")).Single();
        await WhatsAppReceivedAsync(phone);
        await host.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, (await PostWhatsAppStatusAsync(host, "wamid.taken-after-all", "delivered", unknown.Id)).StatusCode);

        var delivered = (await host.EntriesTo(phone, e => e.Count == 1 && e[0].Status == DeliveryStatus.Delivered, "the receipt applied")).Single();
        Assert.Equal(("wamid.taken-after-all", (DateTimeOffset?)null, (string?)null), (delivered.ProviderMessageId, delivered.ReceiptDeadline, delivered.ProtectedSecrets));
        await host.Bus.WaitFor<NotificationDelivered>(d => d.NotificationId == unknown.Id && d.Status == DeliveryStatuses.Delivered);
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        await Task.Delay(Settle);
        Assert.Equal((1, 0), (WhatsAppRequests(phone), SmsRequests(phone)));
        Assert.Equal(DeliveryStatus.Delivered, (await host.EntriesTo(phone)).Single().Status);
    }

    [Fact]
    public async Task A_crash_before_the_call_sends_the_message_once_after_the_restart()
    {
        var phone = TestPhones.New();
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted("wamid.after-restart"));
        var first = await StartAsync();
        await StopDeliveringAsync(first);
        await first.SendAsync(first.Otp(Guid.NewGuid(), phone, "777111"));
        var queued = (await first.EntriesTo(phone, e => e.Count == 1, "the message queued")).Single();
        Assert.Equal((DeliveryStatus.Queued, 0), (queued.Status, queued.Attempts));
        await StopAsync(first);
        Assert.Equal(0, WhatsAppRequests(phone));

        var second = await StartAsync(sameDatabaseAs: first);

        var sent = (await second.EntriesTo(phone, e => e.Count == 1 && e[0].Status == DeliveryStatus.Sent, "the message sent after the restart")).Single();
        await Task.Delay(Settle);
        Assert.Equal((1, "wamid.after-restart"), (sent.Attempts, sent.ProviderMessageId));
        Assert.Equal(1, WhatsAppRequests(phone));
    }

    [Fact]
    public async Task A_crash_after_the_call_began_sends_nothing_blindly_and_the_receipt_decides()
    {
        var phone = TestPhones.New();
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted($"wamid.{Guid.NewGuid():N}"));
        _providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted($"SM{Guid.NewGuid():N}"));
        var first = await StartAsync();
        await StopDeliveringAsync(first);
        await first.SendAsync(first.Otp(Guid.NewGuid(), phone, "888222"));
        var queued = (await first.EntriesTo(phone, e => e.Count == 1, "the message queued")).Single();
        // What the worker commits before it calls the provider; the process then dies during the call.
        var started = first.Time.GetUtcNow();
        await first.InDatabase(async db =>
        {
            var entry = await db.Notifications.SingleAsync(n => n.Id == queued.Id);
            Assert.Null(entry.StartAttempt(ProviderNames.WhatsAppCloud, started, started + TimeSpan.FromSeconds(1) + ReceiptWait));
            return await db.SaveChangesAsync();
        });
        await StopAsync(first);

        var second = await StartAsync(sameDatabaseAs: first);
        await second.AdvanceAsync(TimeSpan.FromSeconds(60)); // WhatsApp's usual fallback time passes too
        await Task.Delay(Settle);
        var waiting = (await second.EntriesTo(phone)).Single();
        Assert.Equal((DeliveryStatus.Queued, started), (waiting.Status, waiting.AttemptStartedAt));
        Assert.Equal((0, 0), (WhatsAppRequests(phone), SmsRequests(phone)));

        Assert.Equal(HttpStatusCode.OK, (await PostWhatsAppStatusAsync(second, "wamid.before-the-crash", "read", queued.Id)).StatusCode);

        var read = (await second.EntriesTo(phone, e => e.Count == 1 && e[0].Status == DeliveryStatus.Read, "the receipt applied")).Single();
        Assert.Equal(("wamid.before-the-crash", (DateTimeOffset?)null), (read.ProviderMessageId, read.AttemptStartedAt));
        await second.AdvanceAsync(TimeSpan.FromMinutes(10));
        await Task.Delay(Settle);
        Assert.Equal((0, 0), (WhatsAppRequests(phone), SmsRequests(phone)));
    }

    [Fact]
    public async Task Whatsapp_failing_with_fallback_allowed_goes_out_by_sms_once()
    {
        var host = await StartAsync();
        var orgId = await host.CreateOrganisationAsync(smsFallback: true);
        var phone = TestPhones.New();
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppError(503, 2, "Service temporarily unavailable"));
        _providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted($"SM{Guid.NewGuid():N}"));

        await host.SendAsync(host.Otp(orgId, phone, "303303"));
        for (var attempts = 1; attempts <= 2; attempts++)
        {
            var waiting = (await host.EntriesTo(phone, e => e.Count == 1 && e[0].Attempts == attempts && e[0].NextAttemptAt is not null, $"attempt {attempts} to fail")).Single();
            await host.AdvanceAsync(waiting.NextAttemptAt!.Value - host.Time.GetUtcNow());
        }

        var entries = await host.EntriesTo(phone, e => e.Any(n => n.Channel == ChannelNames.Sms && n.Status == DeliveryStatus.Sent), "the SMS fallback");
        Assert.StartsWith("gave up after 3 attempts", entries.Single(n => n.Channel == ChannelNames.WhatsApp).LastError, StringComparison.Ordinal);
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        await Task.Delay(Settle);
        Assert.Equal((3, 1), (WhatsAppRequests(phone), SmsRequests(phone)));
        Assert.Equal(2, (await host.EntriesTo(phone)).Count);
    }

    [Fact]
    public async Task An_sms_whose_answer_was_lost_is_settled_by_twilios_callback_naming_its_entry()
    {
        var host = await StartAsync(smsLimit: "00:00:01");
        var orgId = await host.CreateOrganisationAsync(smsFallback: true);
        var phone = TestPhones.New();
        var sid = $"SM{Guid.NewGuid():N}";
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppError(400, 131026, "Message undeliverable"));
        _providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted(sid).WithDelay(TimeSpan.FromSeconds(2)));

        await host.SendAsync(host.Otp(orgId, phone, "909090"));
        var sms = (await host.EntriesTo(
                phone,
                e => e.Any(n => n.Channel == ChannelNames.Sms && n.LastError?.Contains("outcome unknown", StringComparison.Ordinal) == true),
                "the SMS timed out"))
            .Single(n => n.Channel == ChannelNames.Sms);

        var fields = new Dictionary<string, string> { ["AccountSid"] = ProvidersFixture.AccountSid, ["MessageSid"] = sid, ["MessageStatus"] = "delivered" };
        var callback = $"{ProvidersFixture.CallbackUrl}?notification={sms.Id:N}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/twilio?notification={sms.Id:N}") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", TwilioSigner.Sign(ProvidersFixture.AuthToken, callback, fields));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(request)).StatusCode);

        var delivered = (await host.EntriesTo(phone, e => e.Any(n => n.Channel == ChannelNames.Sms && n.Status == DeliveryStatus.Delivered), "the callback applied"))
            .Single(n => n.Channel == ChannelNames.Sms);
        Assert.Equal(sid, delivered.ProviderMessageId);
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        await Eventually.Until(() => Task.FromResult(SmsRequests(phone)), count => count == 1, what: "the fake to log the call it answered late");
        await Task.Delay(Settle);
        Assert.Equal(1, SmsRequests(phone));
    }

    /// <summary>The first call to WhatsApp is answered after its time limit (the provider took it); any later one at once.</summary>
    private void AnswerTooLateOnce(string phone)
    {
        var scenario = $"late-{phone}";
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).InScenario(scenario).WillSetStateTo("answered late")
            .RespondWith(ProviderStubs.WhatsAppAccepted($"wamid.{Guid.NewGuid():N}").WithDelay(TimeSpan.FromSeconds(2)));
        _providers.Given(ProviderStubs.WhatsAppTo(phone)).InScenario(scenario).WhenStateIs("answered late")
            .RespondWith(ProviderStubs.WhatsAppAccepted($"wamid.{Guid.NewGuid():N}"));
    }

    // The fake logs a request once it has answered it, late as that may be.
    private Task<int> WhatsAppReceivedAsync(string phone) =>
        Eventually.Until(() => Task.FromResult(WhatsAppRequests(phone)), count => count == 1, what: "the fake to log the call it answered late");

    private int WhatsAppRequests(string phone) => _providers.Requests(ProviderStubs.WhatsAppPath, phone).Count();

    private int SmsRequests(string phone) => _providers.Requests(ProviderStubs.TwilioPath, phone, form: true).Count();

    /// <param name="whatsAppLimit">WhatsApp's time limit: short where a test makes a call time out, long elsewhere so that a slow machine does not.</param>
    /// <param name="smsLimit">Twilio's, likewise.</param>
    private async Task<NotificationHost> StartAsync(NotificationHost? sameDatabaseAs = null, string whatsAppLimit = "00:00:10", string smsLimit = "00:00:10")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:WhatsApp:BaseUrl"] = $"{_providers.Url}/v23.0/",
            ["Notifications:WhatsApp:PhoneNumberId"] = ProvidersFixture.PhoneNumberId,
            ["Notifications:WhatsApp:AccessToken"] = ProvidersFixture.AccessToken,
            ["Notifications:WhatsApp:AppSecret"] = ProvidersFixture.AppSecret,
            ["Notifications:WhatsApp:VerifyToken"] = ProvidersFixture.VerifyToken,
            ["Notifications:WhatsApp:Timeout"] = whatsAppLimit,
            ["Notifications:Twilio:BaseUrl"] = _providers.Url,
            ["Notifications:Twilio:AccountSid"] = ProvidersFixture.AccountSid,
            ["Notifications:Twilio:AuthToken"] = ProvidersFixture.AuthToken,
            ["Notifications:Twilio:From"] = ProvidersFixture.From,
            ["Notifications:Twilio:StatusCallbackUrl"] = ProvidersFixture.CallbackUrl,
            ["Notifications:Twilio:Timeout"] = smsLimit,
            ["Notifications:Delivery:FirstRetryDelay"] = "00:00:10",
            ["Notifications:Delivery:MaxAttempts"] = "3",
            ["Notifications:Delivery:SmsFallbackAfter"] = "00:01:00",
            ["Notifications:Delivery:ReceiptWait"] = "00:01:30",
            ["Notifications:Delivery:PollInterval"] = "00:00:00.050",
            ["Services:permission:http:0"] = _providers.Url,
        };
        if (sameDatabaseAs is not null)
        {
            settings["ConnectionStrings:notificationdb"] = sameDatabaseAs.Settings["ConnectionStrings:notificationdb"];
            settings["ConnectionStrings:rabbitmq"] = sameDatabaseAs.Settings["ConnectionStrings:rabbitmq"];
        }

        var host = await NotificationHost.StartAsync(settings);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Stops the host's delivery worker: what consumers queue is committed and nothing calls a provider.</summary>
    private static Task StopDeliveringAsync(NotificationHost host) =>
        host.Services.GetServices<IHostedService>().OfType<DeliveryWorker>().Single().StopAsync(CancellationToken.None);

    private async Task StopAsync(NotificationHost host)
    {
        host.AssertLogsClean();
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> PostWhatsAppStatusAsync(NotificationHost host, string wamid, string status, Guid notificationId)
    {
        var payload = JsonSerializer.Serialize(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = "102290129340398",
                    changes = new[]
                    {
                        new
                        {
                            field = "messages",
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = "15550783881", phone_number_id = ProvidersFixture.PhoneNumberId },
                                statuses = new[]
                                {
                                    new { id = wamid, status, timestamp = "1767603600", recipient_id = "254700000000", biz_opaque_callback_data = notificationId.ToString("N") },
                                },
                            },
                        },
                    },
                },
            },
        });
        var bytes = Encoding.UTF8.GetBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ProvidersFixture.AppSecret), bytes)));
        using var client = host.CreateClient();
        return await client.SendAsync(request);
    }
}
