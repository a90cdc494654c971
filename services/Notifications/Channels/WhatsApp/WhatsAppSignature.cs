using System.Security.Cryptography;
using System.Text;

namespace TeamPlatform.Notifications.Channels.WhatsApp;

/// <summary>Meta signs each webhook payload: <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the raw body with the app secret&gt;</c>.</summary>
public static class WhatsAppSignature
{
    public const string Header = "X-Hub-Signature-256";

    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    public static bool IsValid(ReadOnlySpan<byte> body, string? presented, string appSecret)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(appSecret))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(body, appSecret));
        var actual = Encoding.ASCII.GetBytes(presented.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
