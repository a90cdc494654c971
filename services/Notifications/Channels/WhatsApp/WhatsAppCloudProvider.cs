using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Channels.WhatsApp;

/// <summary>
/// Sends template messages through the WhatsApp Business Cloud API
/// (<c>POST {BaseUrl}/{PhoneNumberId}/messages</c>). Delivery and read receipts come back on the webhook.
/// </summary>
internal sealed class WhatsAppCloudProvider(HttpClient http, IOptions<WhatsAppOptions> options) : IChannelProvider
{
    // Graph API error codes worth retrying: temporary or throttling (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
    private static readonly HashSet<int> TransientCodes = [1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004];

    public string Channel => ChannelNames.WhatsApp;

    public string Name => ProviderNames.WhatsAppCloud;

    public TimeSpan CallLimit => options.Value.Timeout;

    public bool SendsInTheAttemptTransaction => false;

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(WithSlash(settings.BaseUrl), $"{Uri.EscapeDataString(settings.PhoneNumberId)}/messages"))
        {
            Content = JsonContent.Create(Payload(message, settings)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return response.IsSuccessStatusCode ? Accepted(body) : Refused(response, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Unknown($"whatsapp: no answer within {settings.Timeout.TotalSeconds:0} s", ProviderErrorKind.Timeout);
        }
        catch (HttpRequestException exception) when (NeverSent(exception))
        {
            return new SendResult.Transient($"whatsapp: connection failed ({exception.HttpRequestError})", ProviderErrorKind.Connection);
        }
        catch (HttpRequestException exception)
        {
            return new SendResult.Unknown($"whatsapp: the answer was lost ({exception.HttpRequestError})", ProviderErrorKind.LostAnswer);
        }
    }

    /// <summary>Failures that happen before a byte of the request reaches Meta: sending again cannot make a duplicate.</summary>
    internal static bool NeverSent(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError
            or HttpRequestError.ProxyTunnelError;

    internal static JsonObject Payload(OutgoingMessage message, WhatsAppOptions settings)
    {
        var template = settings.TemplateFor(message.Message.Template);
        var variables = message.Message.Variables;
        var components = new JsonArray();
        if (template.Parameters.Count > 0)
        {
            components.Add(new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray([.. template.Parameters.Select(name => (JsonNode)new JsonObject
                {
                    ["type"] = "text",
                    ["text"] = variables.GetValueOrDefault(name, ""),
                })]),
            });
        }

        if (template.CodeButton)
        {
            components.Add(new JsonObject
            {
                ["type"] = "button",
                ["sub_type"] = "url",
                ["index"] = "0",
                ["parameters"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = variables.GetValueOrDefault("code", "") }),
            });
        }

        return new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = message.Recipient.TrimStart('+'),
            ["type"] = "template",
            // Meta repeats it on every status of the message: a receipt finds its entry even when the answer naming
            // the message's id was lost.
            ["biz_opaque_callback_data"] = message.NotificationId.ToString("N"),
            ["template"] = new JsonObject
            {
                ["name"] = template.Name,
                ["language"] = new JsonObject { ["code"] = settings.LanguageCode(message.Message.Language) },
                ["components"] = components,
            },
        };
    }

    private static SendResult Accepted(string body)
    {
        try
        {
            var id = JsonNode.Parse(body)?["messages"]?[0]?["id"]?.GetValue<string>();
            // A success without the message's id: Meta took something, so it is not sent again blindly.
            return string.IsNullOrEmpty(id)
                ? new SendResult.Unknown("whatsapp: the answer named no message id", ProviderErrorKind.LostAnswer)
                : new SendResult.Accepted(id);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return new SendResult.Unknown("whatsapp: the answer was not the expected JSON", ProviderErrorKind.LostAnswer);
        }
    }

    private static SendResult Refused(HttpResponseMessage response, string body)
    {
        var (code, text) = ErrorOf(body);
        var status = (int)response.StatusCode;
        var error = $"whatsapp {status}{(code is null ? "" : $" error {code}")}: {ProviderErrors.Sanitize(text)}";
        var transient = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
                        || status >= 500
                        || (code is { } known && TransientCodes.Contains(known));
        return transient
            ? new SendResult.Transient(error, status >= 500 ? ProviderErrorKind.ServerError : ProviderErrorKind.Refusal, response.Headers.RetryAfter?.Delta)
            : new SendResult.Permanent(error);
    }

    private static (int? Code, string Text) ErrorOf(string body)
    {
        try
        {
            var error = JsonNode.Parse(body)?["error"];
            var code = error?["code"]?.GetValue<int>();
            var title = error?["error_data"]?["details"]?.GetValue<string>() ?? error?["message"]?.GetValue<string>() ?? "";
            return (code, title);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return (null, "unreadable error");
        }
    }

    private static Uri WithSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
