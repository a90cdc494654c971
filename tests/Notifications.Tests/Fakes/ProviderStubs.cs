using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TeamPlatform.Notifications.Tests.Fakes;

/// <summary>WhatsApp Cloud API and Twilio answers, each for one recipient so that tests never see each other's stubs.</summary>
public static class ProviderStubs
{
    public const string WhatsAppPath = $"/v23.0/{ProvidersFixture.PhoneNumberId}/messages";
    public const string TwilioPath = $"/2010-04-01/Accounts/{ProvidersFixture.AccountSid}/Messages.json";

    public static IRequestBuilder WhatsAppTo(string phone) => Request.Create()
        .WithPath(WhatsAppPath)
        .UsingPost()
        .WithBody((string? body) => body != null && body.Contains($"\"to\":\"{phone.TrimStart('+')}\"", StringComparison.Ordinal));

    public static IRequestBuilder TwilioTo(string phone) => Request.Create()
        .WithPath(TwilioPath)
        .UsingPost()
        .WithBody((string? body) => body != null && body.Contains($"To={Uri.EscapeDataString(phone)}", StringComparison.Ordinal));

    public static IResponseBuilder WhatsAppAccepted(string messageId) => Response.Create()
        .WithStatusCode(200)
        .WithHeader("Content-Type", "application/json")
        .WithBody(JsonSerializer.Serialize(new
        {
            messaging_product = "whatsapp",
            contacts = new[] { new { input = "x", wa_id = "x" } },
            messages = new[] { new { id = messageId } },
        }));

    public static IResponseBuilder WhatsAppError(int status, int code, string message) => Response.Create()
        .WithStatusCode(status)
        .WithHeader("Content-Type", "application/json")
        .WithBody(JsonSerializer.Serialize(new { error = new { message, type = "OAuthException", code, fbtrace_id = "trace" } }));

    public static IResponseBuilder TwilioAccepted(string sid) => Response.Create()
        .WithStatusCode(201)
        .WithHeader("Content-Type", "application/json")
        .WithBody(JsonSerializer.Serialize(new { sid, status = "queued", account_sid = ProvidersFixture.AccountSid }));

    public static IResponseBuilder TwilioError(int status, int code, string message) => Response.Create()
        .WithStatusCode(status)
        .WithHeader("Content-Type", "application/json")
        .WithBody(JsonSerializer.Serialize(new { code, message, more_info = "https://www.twilio.com/docs/errors", status }));

    public static IEnumerable<WireMock.Logging.ILogEntry> Requests(this WireMockServer server, string path, string phone, bool form = false) =>
        server.LogEntries.Where(e => e.RequestMessage.Path == path
                                     && (e.RequestMessage.Body ?? "").Contains(form ? $"To={Uri.EscapeDataString(phone)}" : $"\"to\":\"{phone.TrimStart('+')}\"", StringComparison.Ordinal));
}
