using TeamPlatform.Notifications.Tests.Fakes;
using WireMock.Server;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>
/// The service delivering webhooks to a local receiver (Development allows loopback targets), its clock set to now so
/// that receivers' timestamp checks pass, permission stubbed.
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public WireMockServer Permission { get; } = WireMockServer.Start();

    public WebhookReceiver Receiver { get; } = new();

    public NotificationHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await NotificationHost.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:Delivery:PollInterval"] = "00:00:00.050",
            ["Notifications:Webhooks:PollInterval"] = "00:00:00.050",
            ["Services:permission:http:0"] = Permission.Url,
        });
        Host.Time.SetUtcNow(DateTimeOffset.UtcNow);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Receiver.Dispose();
        Permission.Stop();
    }
}

[CollectionDefinition(nameof(WebhookCollection))]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>;
