using System.Diagnostics;
using Microsoft.AspNetCore.Identity;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, 100,000 iterations, per-hash salt).</summary>
public sealed class Passwords
{
    private static readonly PasswordHasher<Passwords> Hasher = new();

    // Its own span, so that a login's time can be split into the hash and everything else (docs/benchmarks.md).
    private static readonly ActivitySource ActivitySource = new("TeamPlatform.Identity.Passwords");

    // Checked when there is no credential, so that an unknown phone takes as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(null!, "not-a-password-anyone-has");

    public string Hash(string password) => Hasher.HashPassword(this, password);

    /// <summary>Whether the password matches; <paramref name="rehash"/> is a stronger hash when the stored one is outdated.</summary>
    public bool Verify(string hash, string password, out string? rehash)
    {
        rehash = null;
        var result = VerifyHashed(hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            rehash = Hash(password);
        }

        return result != PasswordVerificationResult.Failed;
    }

    public void SpendTimeOnUnknown(string? password) => VerifyHashed(DummyHash, password ?? "");

    private PasswordVerificationResult VerifyHashed(string hash, string password)
    {
        using var activity = ActivitySource.StartActivity("password verify");
        return Hasher.VerifyHashedPassword(this, hash, password);
    }
}
