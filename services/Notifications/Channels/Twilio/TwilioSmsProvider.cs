using Microsoft.Extensions.Options;
using TeamPlatform.Notifications.Domain;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace TeamPlatform.Notifications.Channels.Twilio;

/// <summary>
/// Sends the rendered text as an SMS through Twilio, with a status callback so that the log follows the
/// message to delivered (or undelivered).
/// </summary>
internal sealed class TwilioSmsProvider(HttpClient http, IOptions<TwilioOptions> options) : IChannelProvider
{
    public string Channel => ChannelNames.Sms;

    public string Name => ProviderNames.Twilio;

    public TimeSpan CallLimit => options.Value.Timeout;

    public bool SendsInTheAttemptTransaction => false;

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var client = new TwilioRestClient(settings.AccountSid, settings.AuthToken, httpClient: new global::Twilio.Http.SystemNetHttpClient(http));
        var create = new CreateMessageOptions(new PhoneNumber(message.Recipient))
        {
            Body = message.Message.Body,
            StatusCallback = settings.StatusCallbackFor(message.NotificationId),
        };
        if (string.IsNullOrWhiteSpace(settings.MessagingServiceSid))
        {
            create.From = new PhoneNumber(settings.From);
        }
        else
        {
            create.MessagingServiceSid = settings.MessagingServiceSid;
        }

        try
        {
            var sent = await MessageResource.CreateAsync(create, client).WaitAsync(settings.Timeout, cancellationToken);
            return new SendResult.Accepted(sent.Sid);
        }
        catch (ApiException exception) when (exception.Status == 0)
        {
            // Not Twilio's JSON (a proxy's page, a cut answer): Twilio may have taken the message.
            return new SendResult.Unknown($"twilio: the answer could not be read: {ProviderErrors.Sanitize(exception.Message)}", ProviderErrorKind.LostAnswer);
        }
        catch (ApiException exception)
        {
            var error = $"twilio {exception.Status}{(exception.Code == 0 ? "" : $" error {exception.Code}")}: {ProviderErrors.Sanitize(exception.Message)}";
            var kind = exception.Status >= 500 ? ProviderErrorKind.ServerError : ProviderErrorKind.Refusal;
            var transient = exception.Status is 408 or 429 || exception.Status >= 500 || exception.Code == 20429;
            return transient ? new SendResult.Transient(error, kind) : new SendResult.Permanent(error);
        }
        catch (ApiConnectionException exception) when (exception.InnerException is HttpRequestException inner && WhatsApp.WhatsAppCloudProvider.NeverSent(inner))
        {
            return new SendResult.Transient("twilio: connection failed", ProviderErrorKind.Connection);
        }
        catch (ApiConnectionException)
        {
            return new SendResult.Unknown("twilio: the connection failed during the call", ProviderErrorKind.LostAnswer);
        }
        catch (TimeoutException)
        {
            return new SendResult.Unknown($"twilio: no answer within {settings.Timeout.TotalSeconds:0} s", ProviderErrorKind.Timeout);
        }
    }
}

/// <summary>Sends the Twilio library's requests to <see cref="TwilioOptions.BaseUrl"/> (a regional edge, or a test's fake).</summary>
internal sealed class TwilioBaseUrlHandler(IOptions<TwilioOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.BaseUrl;
        if (request.RequestUri is { } uri && !string.Equals(uri.Host, baseUrl.Host, StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = baseUrl.Scheme, Host = baseUrl.Host, Port = baseUrl.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
