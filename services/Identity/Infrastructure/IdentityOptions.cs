using System.ComponentModel.DataAnnotations;
using System.Text;
using TeamPlatform.Identity.Domain;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>One-time codes (docs/product.md#bad-input-and-abuse). Production defaults; Development raises only the per-IP cap.</summary>
public sealed class OtpOptions
{
    public const string Section = "Identity:Otp";

    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan CodeLifetime { get; set; } = OtpPolicy.Default.CodeLifetime;

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = OtpPolicy.Default.MaxAttempts;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ResendCooldown { get; set; } = OtpPolicy.Default.ResendCooldown;

    /// <summary>Codes sent to one phone in any hour, whatever the purpose.</summary>
    [Range(1, 1_000_000)]
    public int MaxCodesPerPhonePerHour { get; set; } = 5;

    /// <summary>Codes asked for from one client IP in any hour (behind NAT several people share one).</summary>
    [Range(1, 1_000_000)]
    public int MaxCodesPerIpPerHour { get; set; } = 30;

    /// <summary>The secret that keys the hashes of codes at rest: at least 32 characters, never in source control for production.</summary>
    [Required, MinLength(32)]
    public string HashKey { get; set; } = "";

    public OtpPolicy Policy => new(CodeLifetime, MaxAttempts, ResendCooldown);

    public OtpHasher CreateHasher() => new(Encoding.UTF8.GetBytes(HashKey));
}

public sealed class RegistrationOptions
{
    public const string Section = "Identity:Registration";

    /// <summary>How long an unverified registration (or organisation) waits for its code before it is forgotten.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "7.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);
}

public sealed class LoginOptions
{
    public const string Section = "Identity:Login";

    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = LockoutPolicy.Default.MaxFailedAttempts;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = LockoutPolicy.Default.Duration;

    public LockoutPolicy Lockout => new(MaxFailedAttempts, LockoutDuration);
}

public sealed class TokenOptions
{
    public const string Section = "Identity:Tokens";

    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>A service that obtains tokens with client credentials (e.g. to call the permission check API).</summary>
public sealed class ServiceClientOptions
{
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{1,99}$")]
    public string ClientId { get; set; } = "";

    [Required, MinLength(32)]
    public string ClientSecret { get; set; } = "";

    public string? DisplayName { get; set; }

    /// <summary>The scopes it may ask for; today only <c>permissions.check</c>.</summary>
    public List<string> Scopes { get; set; } = [];
}
