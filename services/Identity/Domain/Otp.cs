using System.Security.Cryptography;
using System.Text;

namespace TeamPlatform.Identity.Domain;

/// <summary>The rules of a one-time code (docs/product.md#bad-input-and-abuse); the numbers are options, these are their production defaults.</summary>
public sealed record OtpPolicy(TimeSpan CodeLifetime, int MaxAttempts, TimeSpan ResendCooldown)
{
    public static OtpPolicy Default { get; } = new(TimeSpan.FromMinutes(5), 5, TimeSpan.FromSeconds(30));
}

/// <summary>
/// Keys the hash of a code with a secret, so that a copy of the database does not reveal codes: six digits
/// are a million guesses, which an unkeyed hash would not survive.
/// </summary>
public sealed class OtpHasher
{
    private readonly byte[] _key;

    public OtpHasher(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("An OTP hashing key has at least 256 bits.", nameof(key));
        }

        _key = key;
    }

    /// <summary>The hash is bound to one challenge, so equal codes of two challenges never hash alike.</summary>
    public byte[] Hash(Guid challengeId, string code)
    {
        Span<byte> input = stackalloc byte[16 + 6];
        challengeId.TryWriteBytes(input);
        var written = Encoding.ASCII.GetBytes(code.AsSpan(0, Math.Min(code.Length, 6)), input[16..]);
        return HMACSHA256.HashData(_key, input[..(16 + written)]);
    }

    public bool Matches(Guid challengeId, byte[] hash, string code) =>
        IsWellFormed(code) && CryptographicOperations.FixedTimeEquals(Hash(challengeId, code), hash);

    public static bool IsWellFormed(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);
}

/// <summary>
/// A code sent to a phone and the tries made against it: 6 digits from a cryptographic generator, valid for
/// a few minutes, locked after a few wrong tries (only a new code helps), and not re-sent more often than the
/// cooldown allows. Only the keyed hash of the code is kept.
/// </summary>
public sealed class OtpChallenge
{
    private OtpChallenge()
    {
    }

    /// <summary>Changes with every code sent, so a hash never matches a code of an earlier send.</summary>
    public Guid Id { get; private set; }

    public byte[] CodeHash { get; private set; } = [];

    public DateTimeOffset SentAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public int FailedAttempts { get; private set; }

    public bool IsLocked { get; private set; }

    /// <summary>Issues a new challenge; <paramref name="code"/> is for the message and nowhere else.</summary>
    public static OtpChallenge Issue(OtpHasher hasher, OtpPolicy policy, DateTimeOffset now, out string code)
    {
        var challenge = new OtpChallenge();
        code = challenge.Renew(hasher, policy, now);
        return challenge;
    }

    /// <summary>A challenge that no code ever matches, for answers that must look like the real thing.</summary>
    public static OtpChallenge Unmatchable(OtpPolicy policy, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        CodeHash = RandomNumberGenerator.GetBytes(32),
        SentAt = now,
        ExpiresAt = now + policy.CodeLifetime,
    };

    /// <summary>How long until another code may be sent; zero when it may be now.</summary>
    public TimeSpan ResendWait(OtpPolicy policy, DateTimeOffset now)
    {
        var wait = SentAt + policy.ResendCooldown - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Replaces the code (the only way out of a lock), unless the cooldown has not passed.</summary>
    public bool TryResend(OtpHasher hasher, OtpPolicy policy, DateTimeOffset now, out string code)
    {
        code = "";
        if (ResendWait(policy, now) > TimeSpan.Zero)
        {
            return false;
        }

        code = Renew(hasher, policy, now);
        return true;
    }

    /// <summary>
    /// Checks a try. A wrong code counts against the challenge; the try that uses up the last attempt
    /// already answers <c>otp_locked</c>, so the user knows at once that only a new code helps.
    /// </summary>
    public Refusal? Verify(OtpHasher hasher, OtpPolicy policy, string code, DateTimeOffset now)
    {
        if (IsLocked)
        {
            return Locked;
        }

        if (now >= ExpiresAt)
        {
            return new Refusal(RefusalKind.OtpExpired, "The code has expired; ask for a new one.");
        }

        if (hasher.Matches(Id, CodeHash, code))
        {
            return null;
        }

        FailedAttempts++;
        if (FailedAttempts >= policy.MaxAttempts)
        {
            IsLocked = true;
            return Locked;
        }

        return new Refusal(RefusalKind.OtpInvalid, "The code is not right.");
    }

    /// <summary>Whether <paramref name="code"/> is the current code, without counting a try (for idempotent retries).</summary>
    public bool IsCurrentCode(OtpHasher hasher, string code) => hasher.Matches(Id, CodeHash, code);

    private static Refusal Locked { get; } = new(RefusalKind.OtpLocked, "Too many wrong codes; ask for a new one.");

    private string Renew(OtpHasher hasher, OtpPolicy policy, DateTimeOffset now)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        Id = Guid.NewGuid();
        CodeHash = hasher.Hash(Id, code);
        SentAt = now;
        ExpiresAt = now + policy.CodeLifetime;
        FailedAttempts = 0;
        IsLocked = false;
        return code;
    }
}
