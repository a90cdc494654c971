using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace TeamPlatform.Notifications.Infrastructure;

/// <summary>
/// Webhook signing secrets: 32 random bytes as Standard Webhooks writes them (<c>whsec_</c> and base64), shown to the
/// admin once and stored only protected by ASP.NET Core Data Protection (keys in this service's database).
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Prefix = "whsec_";

    private readonly IDataProtector _protector = provider.CreateProtector("TeamPlatform.Notifications.WebhookSecrets.v1");

    public (string Secret, string Protected) Generate()
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return (secret, _protector.Protect(secret));
    }

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
