using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Tests.Fakes;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>Real providers against local fakes: the exact requests, retries, fallback to SMS, and the status webhooks.</summary>
[Collection(nameof(ProvidersCollection))]
public sealed class ProviderTests(ProvidersFixture fixture) : IAsyncLifetime
{
    private NotificationHost Host => fixture.Host;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>After every test: no phone, email, code or link the host was given appears in any line it logged.</summary>
    public Task DisposeAsync()
    {
        Host.AssertLogsClean();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_otp_goes_out_as_a_whatsapp_template_message_and_follows_its_receipts()
    {
        var orgId = await Host.CreateOrganisationAsync(language: "pt");
        var phone = TestPhones.New();
        var wamid = $"wamid.{Guid.NewGuid():N}";
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted(wamid));

        await Host.SendAsync(Host.Otp(orgId, phone, "246810", language: "pt"));
        var entry = (await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Sent), "the OTP sent")).Single();

        var request = Assert.Single(fixture.Providers.Requests(ProviderStubs.WhatsAppPath, phone)).RequestMessage;
        Assert.Equal($"Bearer {ProvidersFixture.AccessToken}", request.Headers!["Authorization"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal(
            Normalise($$$"""
            {"messaging_product":"whatsapp","recipient_type":"individual","to":"{{{phone[1..]}}}","type":"template",
             "biz_opaque_callback_data":"{{{entry.Id:N}}}","template":{"name":"teamplatform_otp","language":{"code":"pt_BR"},"components":[
               {"type":"body","parameters":[{"type":"text","text":"246810"}]},
               {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"246810"}]}]}}
            """),
            Normalise(request.Body!));
        Assert.Equal((ProviderNamesOf.WhatsApp, wamid, 1), (entry.Provider, entry.ProviderMessageId, entry.Attempts));

        Assert.Equal(HttpStatusCode.OK, (await PostWhatsAppStatusAsync(wamid, "delivered")).StatusCode);
        await Host.EntriesTo(phone, e => e.Single().Status == DeliveryStatus.Delivered, "delivered");
        Assert.Equal(HttpStatusCode.OK, (await PostWhatsAppStatusAsync(wamid, "read")).StatusCode);
        // A late "delivered" after "read" changes nothing.
        await PostWhatsAppStatusAsync(wamid, "delivered");
        var read = (await Host.EntriesTo(phone, e => e.Single().Status == DeliveryStatus.Read, "read")).Single();
        Assert.NotNull(read.DeliveredAt);
        Assert.Null(read.ProtectedSecrets);

        var events = await Host.Bus.WaitFor<NotificationDelivered>(d => d.NotificationId == entry.Id, count: 3);
        Assert.Equal(["sent", "delivered", "read"], events.Select(d => d.Status).Distinct().OrderBy(DeliveryStatuses.Parse));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_with_backoff_and_then_delivered()
    {
        var orgId = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var scenario = $"flaky-{phone}";
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).InScenario(scenario).WillSetStateTo("recovered")
            .RespondWith(ProviderStubs.WhatsAppError(503, 2, "Service temporarily unavailable"));
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).InScenario(scenario).WhenStateIs("recovered")
            .RespondWith(ProviderStubs.WhatsAppAccepted("wamid.recovered"));

        await Host.SendAsync(Host.Otp(orgId, phone, "135790"));
        var waiting = (await Host.EntriesTo(phone, e => e.Any(n => n.Attempts == 1 && n.LastError != null), "the first attempt to fail")).Single();
        Assert.Equal(DeliveryStatus.Queued, waiting.Status);
        Assert.Contains("whatsapp 503", waiting.LastError, StringComparison.Ordinal);
        // 10 s ± 20 %: nothing happens before the backoff has passed.
        Assert.InRange(waiting.NextAttemptAt!.Value - Host.Time.GetUtcNow(), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.Single(fixture.Providers.Requests(ProviderStubs.WhatsAppPath, phone));

        await Host.AdvanceAsync(TimeSpan.FromSeconds(13));
        var sent = (await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Sent), "the retry")).Single();

        Assert.Equal((2, "wamid.recovered"), (sent.Attempts, sent.ProviderMessageId));
        Assert.Equal(2, fixture.Providers.Requests(ProviderStubs.WhatsAppPath, phone).Count());
    }

    [Fact]
    public async Task A_permanent_failure_fails_at_once_and_is_published_when_no_fallback_is_allowed()
    {
        var orgId = await Host.CreateOrganisationAsync(smsFallback: false);
        var phone = TestPhones.New();
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone))
            .RespondWith(ProviderStubs.WhatsAppError(400, 131026, $"Message undeliverable to {phone}"));

        await Host.SendAsync(Host.Otp(orgId, phone, "864202"));
        var failed = (await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Failed), "the failure")).Single();

        Assert.Equal(1, failed.Attempts);
        Assert.StartsWith("whatsapp 400 error 131026", failed.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(phone[1..], failed.LastError, StringComparison.Ordinal);
        var published = await Host.Bus.WaitFor<NotificationFailed>(f => f.NotificationId == failed.Id);
        Assert.Equal((orgId, "otp", "whatsapp"), (published.OrgId, published.Template, published.Channel));

        await Host.AdvanceAsync(TimeSpan.FromMinutes(2));
        // A later message to the same phone, failing the same way: once the worker has tried it, it has looked at
        // everything due before it, so a retry or a fallback of the first would have gone out by now.
        await Host.SendAsync(Host.Otp(orgId, phone, "531642"));
        await Host.EntriesTo(phone, e => e.Count(n => n.Status == DeliveryStatus.Failed) == 2, "the later message tried");
        Assert.Single(fixture.Providers.Requests(ProviderStubs.WhatsAppPath, phone), r => r.RequestMessage.Body!.Contains("864202", StringComparison.Ordinal));
        Assert.Empty(fixture.Providers.Requests(ProviderStubs.TwilioPath, phone, form: true));
    }

    [Fact]
    public async Task WhatsApp_failing_falls_back_to_sms_through_twilio_and_follows_twilios_callbacks()
    {
        var orgId = await Host.CreateOrganisationAsync(smsFallback: true);
        var phone = TestPhones.New();
        var sid = $"SM{Guid.NewGuid():N}";
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppError(400, 131026, "Message undeliverable"));
        fixture.Providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted(sid));

        await Host.SendAsync(Host.Otp(orgId, phone, "975310"));
        var entries = await Host.EntriesTo(phone, e => e.Any(n => n.Channel == ChannelNames.Sms && n.Status == DeliveryStatus.Sent), "the SMS fallback");

        var (whatsApp, sms) = (entries.Single(e => e.Channel == ChannelNames.WhatsApp), entries.Single(e => e.Channel == ChannelNames.Sms));
        Assert.Equal(DeliveryStatus.Failed, whatsApp.Status);
        Assert.Equal((whatsApp.Id, "twilio", sid), (sms.FallbackOf, sms.Provider, sms.ProviderMessageId));

        var request = Assert.Single(fixture.Providers.Requests(ProviderStubs.TwilioPath, phone, form: true)).RequestMessage;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ProvidersFixture.AccountSid}:{ProvidersFixture.AuthToken}"));
        Assert.Equal($"Basic {basic}", request.Headers!["Authorization"].Single());
        var form = Form(request.Body!);
        Assert.Equal(phone, form["To"]);
        Assert.Equal(ProvidersFixture.From, form["From"]);
        Assert.Equal("975310 is your Hope NGO verification code. It expires in 5 minutes. Never share it with anyone.", form["Body"]);
        Assert.Equal($"{ProvidersFixture.CallbackUrl}?notification={sms.Id:N}", form["StatusCallback"]);

        // A forged callback is refused and changes nothing; Twilio's own moves the log on.
        var forged = await PostTwilioStatusAsync(sid, "delivered", signature: "forged");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(DeliveryStatus.Sent, (await Host.EntriesTo(phone)).Single(e => e.Channel == ChannelNames.Sms).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await PostTwilioStatusAsync(sid, "delivered")).StatusCode);
        await Host.EntriesTo(phone, e => e.Single(n => n.Channel == ChannelNames.Sms).Status == DeliveryStatus.Delivered, "the SMS delivered");
        Assert.DoesNotContain(Host.Bus.Received<NotificationFailed>(), f => f.NotificationId == whatsApp.Id);
    }

    [Fact]
    public async Task An_sms_that_twilio_reports_undelivered_fails_and_is_published()
    {
        var orgId = await Host.CreateOrganisationAsync(smsFallback: true);
        var phone = TestPhones.New();
        var sid = $"SM{Guid.NewGuid():N}";
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppError(400, 131026, "Message undeliverable"));
        fixture.Providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted(sid));
        await Host.SendAsync(Host.Otp(orgId, phone, "112358"));
        await Host.EntriesTo(phone, e => e.Any(n => n.Channel == ChannelNames.Sms && n.Status == DeliveryStatus.Sent), "the SMS sent");

        await PostTwilioStatusAsync(sid, "undelivered", ("ErrorCode", "30003"));

        var sms = (await Host.EntriesTo(phone, e => e.Any(n => n.Channel == ChannelNames.Sms && n.Status == DeliveryStatus.Failed), "the SMS failed"))
            .Single(n => n.Channel == ChannelNames.Sms);
        Assert.Equal("twilio undelivered error 30003", sms.LastError);
        await Host.Bus.WaitFor<NotificationFailed>(f => f.NotificationId == sms.Id && f.Channel == "sms");
    }

    [Fact]
    public async Task A_failure_reported_on_the_whatsapp_webhook_hands_the_message_to_sms()
    {
        var orgId = await Host.CreateOrganisationAsync(smsFallback: true);
        var phone = TestPhones.New();
        var wamid = $"wamid.{Guid.NewGuid():N}";
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted(wamid));
        fixture.Providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted($"SM{Guid.NewGuid():N}"));
        await Host.SendAsync(Host.Otp(orgId, phone, "577215"));
        await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Sent), "WhatsApp sent");

        Assert.Equal(HttpStatusCode.OK, (await PostWhatsAppStatusAsync(wamid, "failed")).StatusCode);

        var entries = await Host.EntriesTo(phone, e => e.Any(n => n.Channel == ChannelNames.Sms && n.Status == DeliveryStatus.Sent), "the SMS fallback");
        var whatsApp = entries.Single(e => e.Channel == ChannelNames.WhatsApp);
        Assert.Equal(DeliveryStatus.Failed, whatsApp.Status);
        Assert.Equal(whatsApp.Id, entries.Single(e => e.Channel == ChannelNames.Sms).FallbackOf);
        Assert.Contains("577215", Form(Assert.Single(fixture.Providers.Requests(ProviderStubs.TwilioPath, phone, form: true)).RequestMessage.Body!)["Body"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_whatsapp_message_with_no_delivery_receipt_in_time_goes_out_by_sms_too()
    {
        var orgId = await Host.CreateOrganisationAsync(smsFallback: true);
        var phone = TestPhones.New();
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted($"wamid.{Guid.NewGuid():N}"));
        fixture.Providers.Given(ProviderStubs.TwilioTo(phone)).RespondWith(ProviderStubs.TwilioAccepted($"SM{Guid.NewGuid():N}"));

        await Host.SendAsync(Host.Otp(orgId, phone, "314159"));
        await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Sent), "WhatsApp sent");
        Assert.Empty(fixture.Providers.Requests(ProviderStubs.TwilioPath, phone, form: true));

        await Host.AdvanceAsync(TimeSpan.FromSeconds(61));
        var entries = await Host.EntriesTo(phone, e => e.Any(n => n.Channel == ChannelNames.Sms && n.Status == DeliveryStatus.Sent), "the SMS fallback");

        // WhatsApp's entry stays "sent" (a late receipt may still come) and no longer waits or keeps the code.
        var whatsApp = entries.Single(e => e.Channel == ChannelNames.WhatsApp);
        Assert.Equal((DeliveryStatus.Sent, (DateTimeOffset?)null, (string?)null), (whatsApp.Status, whatsApp.FallbackAt, whatsApp.ProtectedSecrets));
        Assert.Contains("314159", Form(Assert.Single(fixture.Providers.Requests(ProviderStubs.TwilioPath, phone, form: true)).RequestMessage.Body!)["Body"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_with_an_email_goes_out_by_whatsapp_and_through_smtp()
    {
        var orgId = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var email = $"invitee-{Guid.NewGuid():N}@example.org";
        var link = $"https://teamplatform.example/invite/{Guid.NewGuid():N}";
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted($"wamid.{Guid.NewGuid():N}"));

        await Host.SendAsync(new SendInvitation(orgId, Guid.NewGuid(), "Hope NGO", "amina", phone, email, link, "en",
            new DateTimeOffset(2026, 2, 4, 9, 0, 0, TimeSpan.Zero), Host.Time.GetUtcNow()));
        var mailEntry = (await Host.EntriesTo(email, e => e.Any(n => n.Status == DeliveryStatus.Sent), "the email sent")).Single();
        await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Sent), "the WhatsApp invitation sent");

        var mail = Assert.Single(fixture.Smtp.Messages, m => m.To.Mailboxes.Any(a => a.Address == email));
        Assert.Equal("amina invited you to join Hope NGO", mail.Subject);
        Assert.Equal($"amina invited you to join the Hope NGO team. Accept before 2026-02-04: {link}", mail.TextBody?.Trim());
        Assert.Equal("team@teamplatform.example", mail.From.Mailboxes.Single().Address);
        Assert.Equal(("smtp", mail.MessageId), (mailEntry.Provider, mailEntry.ProviderMessageId));
        Assert.DoesNotContain(link, mailEntry.Body, StringComparison.Ordinal);

        using var whatsApp = JsonDocument.Parse(Assert.Single(fixture.Providers.Requests(ProviderStubs.WhatsAppPath, phone)).RequestMessage.Body!);
        var template = whatsApp.RootElement.GetProperty("template");
        Assert.Equal("teamplatform_invitation", template.GetProperty("name").GetString());
        Assert.Equal(
            ["amina", "Hope NGO", "2026-02-04", link],
            template.GetProperty("components")[0].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_forged_whatsapp_status_is_refused_and_changes_nothing()
    {
        var orgId = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var wamid = $"wamid.{Guid.NewGuid():N}";
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted(wamid));
        await Host.SendAsync(Host.Otp(orgId, phone, "271828"));
        await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Sent), "sent");

        var forged = await PostWhatsAppStatusAsync(wamid, "failed", secret: "not-the-app-secret");
        var unsigned = await PostWhatsAppStatusAsync(wamid, "failed", secret: null);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (forged.StatusCode, unsigned.StatusCode));
        Assert.Equal("unauthenticated", (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(DeliveryStatus.Sent, (await Host.EntriesTo(phone)).Single().Status);
    }

    [Fact]
    public async Task The_whatsapp_verification_handshake_echoes_the_challenge_only_for_the_right_token()
    {
        using var client = Host.CreateClient();
        var good = await client.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={ProvidersFixture.VerifyToken}&hub.challenge=1158201444");
        var bad = await client.GetAsync("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal("1158201444", await good.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
    }

    [Fact]
    public async Task The_development_inbox_is_absent_when_every_channel_has_a_provider()
    {
        using var client = Host.CreateClient();
        var response = await client.GetAsync($"/api/dev/notifications?to={Uri.EscapeDataString(TestPhones.New())}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_redelivered_command_sends_one_whatsapp_message()
    {
        var orgId = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        fixture.Providers.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted($"wamid.{Guid.NewGuid():N}"));
        var command = Host.Otp(orgId, phone, "161803");
        var messageId = Guid.NewGuid();

        await Task.WhenAll(Host.SendAsync(command, messageId), Host.SendAsync(command, messageId), Host.SendAsync(command, messageId));
        await Host.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Sent), "sent");
        await Host.SendAsync(Host.Otp(orgId, phone, "999000"));
        await Host.EntriesTo(phone, e => e.Count == 2 && e.All(n => n.Status == DeliveryStatus.Sent), "the later command");

        Assert.Single(fixture.Providers.Requests(ProviderStubs.WhatsAppPath, phone), r => r.RequestMessage.Body!.Contains("161803", StringComparison.Ordinal));
        Assert.Equal(1, await Host.InDatabase(db => db.Notifications.CountAsync(n => n.SourceMessageId == messageId)));
    }

    private async Task<HttpResponseMessage> PostWhatsAppStatusAsync(string wamid, string status, string? secret = ProvidersFixture.AppSecret)
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
                                statuses = new[] { new { id = wamid, status, timestamp = "1767603600", recipient_id = "254700000000" } },
                            },
                        },
                    },
                },
            },
        });
        var bytes = Encoding.UTF8.GetBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        }

        using var client = Host.CreateClient();
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostTwilioStatusAsync(string sid, string status, params (string Key, string Value)[] extra) =>
        await PostTwilioStatusAsync(sid, status, signature: null, extra);

    private async Task<HttpResponseMessage> PostTwilioStatusAsync(string sid, string status, string? signature, params (string Key, string Value)[] extra)
    {
        var fields = new Dictionary<string, string>
        {
            ["AccountSid"] = ProvidersFixture.AccountSid,
            ["MessageSid"] = sid,
            ["SmsSid"] = sid,
            ["MessageStatus"] = status,
            ["SmsStatus"] = status,
            ["ApiVersion"] = "2010-04-01",
        };
        foreach (var (key, value) in extra)
        {
            fields[key] = value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSigner.Sign(ProvidersFixture.AuthToken, ProvidersFixture.CallbackUrl, fields));
        using var client = Host.CreateClient();
        return await client.SendAsync(request);
    }

    private static Dictionary<string, string> Form(string body) =>
        body.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(
            pair => Uri.UnescapeDataString(pair[0].Replace('+', ' ')),
            pair => Uri.UnescapeDataString(pair[1].Replace('+', ' ')));

    private static string Normalise(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    private static class ProviderNamesOf
    {
        public const string WhatsApp = "whatsapp_cloud";
    }
}
