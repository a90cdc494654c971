using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace TeamPlatform.Notifications.Infrastructure;

/// <summary>
/// Encrypts a message's secret variables (an OTP's code, an invitation's link) for the time attempts may need
/// them, with ASP.NET Core Data Protection (keys in this service's database, shared by its replicas).
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("TeamPlatform.Notifications.MessageSecrets.v1");

    public string? Protect(IReadOnlyDictionary<string, string> secrets) =>
        secrets.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secrets));

    public Dictionary<string, string> Unprotect(string? protectedSecrets) =>
        protectedSecrets is null
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(protectedSecrets)) ?? [];
}
