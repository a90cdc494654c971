using TeamPlatform.Notifications.Tests.Fakes;
using WireMock.Server;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>
/// The service with every real provider configured: WhatsApp Cloud API and Twilio against a local WireMock,
/// SMTP against a real SMTP server on loopback. No development channel.
/// </summary>
public sealed class ProvidersFixture : IAsyncLifetime
{
    public const string PhoneNumberId = "109876543210";
    public const string AccessToken = "test-whatsapp-access-token";
    public const string AppSecret = "test-whatsapp-app-secret";
    public const string VerifyToken = "test-verify-token";
    public const string AccountSid = "AC00000000000000000000000000000000";
    public const string AuthToken = "test-twilio-auth-token";
    public const string From = "+15005550006";
    public const string CallbackUrl = "https://teamplatform.example/webhooks/twilio";

    public WireMockServer Providers { get; } = WireMockServer.Start();

    public FakeSmtpServer Smtp { get; } = new();

    public NotificationHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await NotificationHost.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:WhatsApp:BaseUrl"] = $"{Providers.Url}/v23.0/",
            ["Notifications:WhatsApp:PhoneNumberId"] = PhoneNumberId,
            ["Notifications:WhatsApp:AccessToken"] = AccessToken,
            ["Notifications:WhatsApp:AppSecret"] = AppSecret,
            ["Notifications:WhatsApp:VerifyToken"] = VerifyToken,
            ["Notifications:Twilio:BaseUrl"] = Providers.Url,
            ["Notifications:Twilio:AccountSid"] = AccountSid,
            ["Notifications:Twilio:AuthToken"] = AuthToken,
            ["Notifications:Twilio:From"] = From,
            ["Notifications:Twilio:StatusCallbackUrl"] = CallbackUrl,
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:FromAddress"] = "team@teamplatform.example",
            ["Notifications:Delivery:FirstRetryDelay"] = "00:00:10",
            ["Notifications:Delivery:MaxAttempts"] = "3",
            ["Notifications:Delivery:SmsFallbackAfter"] = "00:01:00",
            ["Notifications:Delivery:PollInterval"] = "00:00:00.050",
            ["Services:permission:http:0"] = Providers.Url,
            // As outside Development: webhooks only to public https targets.
            ["Notifications:Webhooks:AllowLocalTargets"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Smtp.DisposeAsync();
        Providers.Stop();
    }
}

[CollectionDefinition(nameof(ProvidersCollection))]
public sealed class ProvidersCollection : ICollectionFixture<ProvidersFixture>;

/// <summary>The service with no provider configured: every channel is the development channel.</summary>
public sealed class DevelopmentFixture : IAsyncLifetime
{
    public WireMockServer Permission { get; } = WireMockServer.Start();

    public NotificationHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await NotificationHost.StartAsync(new Dictionary<string, string?>
    {
        ["Notifications:Delivery:PollInterval"] = "00:00:00.050",
        ["Services:permission:http:0"] = Permission.Url,
    });

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Permission.Stop();
    }
}

/// <summary>The development channel's tests and the delivery log's: one host for both.</summary>
[CollectionDefinition(nameof(DevelopmentCollection))]
public sealed class DevelopmentCollection : ICollectionFixture<DevelopmentFixture>;
