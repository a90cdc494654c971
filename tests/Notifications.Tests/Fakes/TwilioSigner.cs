using System.Security.Cryptography;
using System.Text;

namespace TeamPlatform.Notifications.Tests.Fakes;

/// <summary>Signs a status callback as Twilio does: base64 HMAC-SHA1 of the URL followed by the sorted fields' names and values.</summary>
public static class TwilioSigner
{
    public static string Sign(string authToken, string url, IDictionary<string, string> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

#pragma warning disable CA5350 // Twilio chose HMAC-SHA1; the test signs as Twilio does.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }
}
