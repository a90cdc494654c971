using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Notifications.Features;

/// <summary>
/// The <c>to</c> of a query: a phone in E.164 — with or without its <c>+</c>, which an unencoded query string
/// turns into a space — or an email address.
/// </summary>
internal static class RecipientQuery
{
    public static bool TryParse(string? to, out string recipient)
    {
        recipient = "";
        var value = (to ?? "").Trim();
        if (value.Contains('@', StringComparison.Ordinal))
        {
            if (!MimeKit.MailboxAddress.TryParse(value, out var email))
            {
                return false;
            }

            recipient = email.Address.ToLowerInvariant();
            return true;
        }

        return Phones.TryNormalize(value.StartsWith('+') ? value : "+" + value, out recipient);
    }
}
