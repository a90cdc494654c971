using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Tests.Fakes;
using TeamPlatform.Testing;
using WireMock.Server;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>Delivery state lives in the database: it survives a restart, and replicas never send the same message twice.</summary>
public sealed class WorkerTests : IAsyncLifetime
{
    private readonly WireMockServer _whatsApp = WireMockServer.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _whatsApp.Stop();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_retry_due_while_the_service_was_down_runs_after_it_restarts_with_the_code_intact()
    {
        var phone = TestPhones.New();
        _whatsApp.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppError(500, 1, "An unknown error occurred"));
        Dictionary<string, string?> settings;
        var first = await NotificationHost.StartAsync(Settings());
        await using (first)
        {
            settings = new Dictionary<string, string?>(Settings())
            {
                ["ConnectionStrings:notificationdb"] = first.Settings["ConnectionStrings:notificationdb"],
                ["ConnectionStrings:rabbitmq"] = first.Settings["ConnectionStrings:rabbitmq"],
            };
            await first.SendAsync(first.Otp(Guid.NewGuid(), phone, "808080"));
            await first.EntriesTo(phone, e => e.Any(n => n.Attempts == 1 && n.Status == DeliveryStatus.Queued && n.NextAttemptAt != null), "the first attempt to fail");
        }

        _whatsApp.ResetMappings();
        _whatsApp.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted("wamid.after-restart"));
        await using var second = await NotificationHost.StartAsync(settings);
        await second.AdvanceAsync(TimeSpan.FromSeconds(13));

        var sent = (await second.EntriesTo(phone, e => e.Any(n => n.Status == DeliveryStatus.Sent), "the retry after the restart")).Single();
        Assert.Equal((2, "wamid.after-restart"), (sent.Attempts, sent.ProviderMessageId));
        var retried = _whatsApp.Requests(ProviderStubs.WhatsAppPath, phone).Last().RequestMessage.Body!;
        Assert.Contains("\"text\":\"808080\"", retried, StringComparison.Ordinal);
        first.Logs.AssertFreeOf(phone, "808080");
        second.Logs.AssertFreeOf(phone, "808080");
    }

    [Fact]
    public async Task Two_replicas_working_the_same_log_send_each_message_once()
    {
        var phones = Enumerable.Range(0, 30).Select(_ => TestPhones.New()).ToList();
        foreach (var phone in phones)
        {
            _whatsApp.Given(ProviderStubs.WhatsAppTo(phone)).RespondWith(ProviderStubs.WhatsAppAccepted($"wamid.{Guid.NewGuid():N}"));
        }

        await using var first = await NotificationHost.StartAsync(Settings());
        await using var second = await first.StartReplicaAsync();

        await Task.WhenAll(phones.Select((phone, i) => (i % 2 == 0 ? first : second).SendAsync(first.Otp(Guid.NewGuid(), phone, $"{100000 + i}"))));
        await Eventually.Until(
            () => first.InDatabase(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Notifications, n => n.Status == DeliveryStatus.Sent)),
            sent => sent == phones.Count,
            TimeSpan.FromSeconds(30),
            "every message sent");

        Assert.All(phones, phone => Assert.Single(_whatsApp.Requests(ProviderStubs.WhatsAppPath, phone)));
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Notifications:WhatsApp:BaseUrl"] = $"{_whatsApp.Url}/v23.0/",
        ["Notifications:WhatsApp:PhoneNumberId"] = ProvidersFixture.PhoneNumberId,
        ["Notifications:WhatsApp:AccessToken"] = ProvidersFixture.AccessToken,
        ["Notifications:WhatsApp:AppSecret"] = ProvidersFixture.AppSecret,
        ["Notifications:WhatsApp:VerifyToken"] = ProvidersFixture.VerifyToken,
        ["Notifications:Delivery:FirstRetryDelay"] = "00:00:10",
        ["Notifications:Delivery:PollInterval"] = "00:00:00.050",
    };
}
