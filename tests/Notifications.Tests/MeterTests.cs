using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.Notifications.Tests.Fakes;
using TeamPlatform.Testing;
using WireMock.Server;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>Deliveries and a provider's errors move notification's meters by exactly what happened, by channel and status.</summary>
public sealed class MeterTests : IAsyncLifetime
{
    private readonly WireMockServer _whatsApp = WireMockServer.Start();
    private NotificationHost _host = null!;

    public async Task InitializeAsync() => _host = await NotificationHost.StartAsync(new Dictionary<string, string?>
    {
        ["Notifications:WhatsApp:BaseUrl"] = $"{_whatsApp.Url}/v23.0/",
        ["Notifications:WhatsApp:PhoneNumberId"] = ProvidersFixture.PhoneNumberId,
        ["Notifications:WhatsApp:AccessToken"] = ProvidersFixture.AccessToken,
        ["Notifications:WhatsApp:AppSecret"] = ProvidersFixture.AppSecret,
        ["Notifications:WhatsApp:VerifyToken"] = ProvidersFixture.VerifyToken,
        ["Notifications:Delivery:FirstRetryDelay"] = "00:00:10",
        ["Notifications:Delivery:PollInterval"] = "00:00:00.050",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _whatsApp.Stop();
    }

    [Fact]
    public async Task A_message_sent_counts_one_delivery_and_a_provider_error_one_error_of_its_kind()
    {
        var taken = TestPhones.New();
        var refused = TestPhones.New();
        _whatsApp.Given(ProviderStubs.WhatsAppTo(taken)).RespondWith(ProviderStubs.WhatsAppAccepted("wamid.counted"));
        _whatsApp.Given(ProviderStubs.WhatsAppTo(refused)).RespondWith(ProviderStubs.WhatsAppError(500, 1, "An unknown error occurred"));
        using var deliveries = _host.Services.Collect<long>(NotificationMetrics.MeterName, "teamplatform.notifications.deliveries");
        using var errors = _host.Services.Collect<long>(NotificationMetrics.MeterName, "teamplatform.notifications.provider.errors");

        await _host.SendAsync(_host.Otp(Guid.NewGuid(), taken, "111111"));
        await _host.SendAsync(_host.Otp(Guid.NewGuid(), refused, "222222"));
        await _host.EntriesTo(taken, e => e.Any(n => n.Status == DeliveryStatus.Sent), "the message to be sent");
        await _host.EntriesTo(refused, e => e.Any(n => n.Attempts == 1 && n.Status == DeliveryStatus.Queued && n.NextAttemptAt != null), "the first attempt to fail");

        Assert.Equal(1, deliveries.Sum(("channel", ChannelNames.WhatsApp), ("status", DeliveryStatuses.Sent)));
        Assert.Equal(1, deliveries.Sum());
        Assert.Equal(1, errors.Sum(("channel", ChannelNames.WhatsApp), ("provider", ProviderNames.WhatsAppCloud), ("kind", "server_error"), ("result", "transient")));
        Assert.Equal(1, errors.Sum());
    }
}
