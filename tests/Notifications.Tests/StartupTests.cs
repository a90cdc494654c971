using System.Net;
using Microsoft.AspNetCore.Hosting;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>The development channel hands out codes: outside Development it is never on by accident.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Outside_development_a_missing_whatsapp_provider_stops_the_service_at_start()
    {
        var exception = await Record.ExceptionAsync(() => ProductionHost.StartAsync(new Dictionary<string, string?>()));

        Assert.Contains("No WhatsApp provider is configured", exception?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_the_development_channel_runs_only_when_allowed_explicitly()
    {
        await using var host = await ProductionHost.StartAsync(new Dictionary<string, string?>
        {
            [NotificationService.DevelopmentChannelOutsideDevelopment] = "true",
        });
        using var client = host.CreateClient();

        var response = await client.GetAsync("/api/dev/notifications?to=%2B254711234567");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_half_configured_provider_refuses_to_start()
    {
        var exception = await Record.ExceptionAsync(() => ProductionHost.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:WhatsApp:AccessToken"] = "token-without-the-rest",
        }));

        Assert.Contains("Notifications:WhatsApp:PhoneNumberId is required", exception?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_routes()
    {
        await using var host = await ProductionHost.StartAsync(new Dictionary<string, string?>
        {
            [NotificationService.DevelopmentChannelOutsideDevelopment] = "true",
        });
        using var client = host.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/notifications", document, StringComparison.Ordinal);
        Assert.Contains("/api/dev/notifications", document, StringComparison.Ordinal);
        Assert.Contains("/webhooks/whatsapp", document, StringComparison.Ordinal);
    }

    private sealed class ProductionHost : ServiceHost<NotificationDbContext>
    {
        private ProductionHost(Dictionary<string, string?> settings)
            : base(settings)
        {
        }

        public static async Task<ProductionHost> StartAsync(IDictionary<string, string?> settings)
        {
            var host = new ProductionHost(await SettingsAsync(NotificationService.Name, settings));
            try
            {
                _ = host.Server;
                return host;
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}
