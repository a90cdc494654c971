using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Channels.Smtp;

/// <summary>
/// Sends the rendered text as a plain-text email. SMTP gives no delivery receipt: a message the server
/// accepted stays <c>sent</c>. 4xx replies and connection faults are transient, 5xx replies permanent.
/// </summary>
internal sealed class SmtpEmailProvider(IOptions<SmtpOptions> options) : IChannelProvider
{
    public string Channel => ChannelNames.Email;

    public string Name => ProviderNames.Smtp;

    public TimeSpan CallLimit => options.Value.Timeout;

    public bool SendsInTheAttemptTransaction => false;

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var email = new MimeMessage
        {
            Subject = message.Message.Subject,
            Body = new TextPart("plain") { Text = message.Message.Body },
        };
        email.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        email.To.Add(MailboxAddress.Parse(message.Recipient));
        email.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(new MailboxAddress("", settings.FromAddress).Domain);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var smtp = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        // Until the message itself is handed over, a failure cannot have sent it; from then on the outcome is unknown.
        var handingOver = false;
        try
        {
            await smtp.ConnectAsync(settings.Host, settings.Port, settings.Security, timeout.Token);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await smtp.AuthenticateAsync(settings.Username, settings.Password, timeout.Token);
            }

            handingOver = true;
            await smtp.SendAsync(email, timeout.Token);
            handingOver = false;
            await QuitAsync(smtp, timeout.Token);
            return new SendResult.Accepted(email.MessageId);
        }
        catch (SmtpCommandException exception)
        {
            // A reply code is the server's answer: it did not take the message.
            var error = $"smtp {(int)exception.StatusCode}: {ProviderErrors.Sanitize(exception.Message)}";
            return (int)exception.StatusCode is >= 400 and < 500
                ? new SendResult.Transient(error, ProviderErrorKind.Refusal)
                : new SendResult.Permanent(error);
        }
        catch (AuthenticationException)
        {
            return new SendResult.Permanent("smtp: the server refused the configured credentials");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"smtp: no answer within {settings.Timeout.TotalSeconds:0} s";
            return handingOver ? new SendResult.Unknown(error, ProviderErrorKind.Timeout) : new SendResult.Transient(error, ProviderErrorKind.Timeout);
        }
        catch (Exception exception) when (exception is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or SslHandshakeException)
        {
            var error = $"smtp: connection failed ({exception.GetType().Name})";
            return handingOver ? new SendResult.Unknown(error, ProviderErrorKind.LostAnswer) : new SendResult.Transient(error, ProviderErrorKind.Connection);
        }
    }

    // The server has taken the message: a failed goodbye must not make it look unsent (and so sent again).
    private static async Task QuitAsync(SmtpClient smtp, CancellationToken cancellationToken)
    {
        try
        {
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SmtpProtocolException or IOException or SocketException)
        {
        }
    }
}
