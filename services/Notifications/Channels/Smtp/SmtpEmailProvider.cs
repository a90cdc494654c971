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
        try
        {
            await smtp.ConnectAsync(settings.Host, settings.Port, settings.Security, timeout.Token);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await smtp.AuthenticateAsync(settings.Username, settings.Password, timeout.Token);
            }

            await smtp.SendAsync(email, timeout.Token);
            await smtp.DisconnectAsync(quit: true, timeout.Token);
            return new SendResult.Accepted(email.MessageId);
        }
        catch (SmtpCommandException exception)
        {
            var error = $"smtp {(int)exception.StatusCode}: {ProviderErrors.Sanitize(exception.Message)}";
            return (int)exception.StatusCode is >= 400 and < 500 ? new SendResult.Transient(error) : new SendResult.Permanent(error);
        }
        catch (AuthenticationException)
        {
            return new SendResult.Permanent("smtp: the server refused the configured credentials");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Transient($"smtp: no answer within {settings.Timeout.TotalSeconds:0} s");
        }
        catch (Exception exception) when (exception is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or SslHandshakeException)
        {
            return new SendResult.Transient($"smtp: connection failed ({exception.GetType().Name})");
        }
    }
}
