namespace TeamPlatform.Identity.Domain;

/// <summary>
/// A request to set a new password by proving the phone with a code. A request for a phone nobody uses
/// looks the same from outside: it exists, has a challenge no code matches, and fails the same way.
/// </summary>
public sealed class PasswordReset
{
    private PasswordReset()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    /// <summary>Null when the phone belongs to nobody in the organisation.</summary>
    public Guid? MemberId { get; private set; }

    public OtpChallenge Challenge { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public DateTimeOffset ExpiresAt => Challenge.ExpiresAt;

    /// <summary>Starts a reset; <paramref name="code"/> is empty when there is nobody to send it to.</summary>
    public static PasswordReset Start(Guid orgId, Guid? memberId, OtpHasher hasher, OtpPolicy policy, DateTimeOffset now, out string code)
    {
        code = "";
        return new PasswordReset
        {
            Id = Guid.CreateVersion7(now),
            OrgId = orgId,
            MemberId = memberId,
            Challenge = memberId is null ? OtpChallenge.Unmatchable(policy, now) : OtpChallenge.Issue(hasher, policy, now, out code),
            CreatedAt = now,
        };
    }

    /// <summary>Checks the code once; a used reset never works again.</summary>
    public Refusal? Complete(OtpHasher hasher, OtpPolicy policy, string code, DateTimeOffset now)
    {
        if (CompletedAt is not null)
        {
            return new Refusal(RefusalKind.OtpExpired, "This reset has been used; start a new one.");
        }

        if (Challenge.Verify(hasher, policy, code, now) is { } refusal)
        {
            return refusal;
        }

        CompletedAt = now;
        return null;
    }
}
