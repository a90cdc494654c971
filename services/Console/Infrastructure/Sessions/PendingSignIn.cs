namespace TeamPlatform.Console.Infrastructure.Sessions;

public enum SignInPurpose
{
    CreateOrganisation,
    Join,
    Invitation,
    PasswordReset,
}

/// <summary>
/// A registration (or password reset) waiting for its one-time code: what the code page needs after a reload or on
/// another instance. The password is not here: it stays in the memory of the instance that took it
/// (<see cref="PendingPasswords"/>), so a code entered elsewhere ends with "sign in" instead of signing in at once.
/// </summary>
public sealed class PendingSignIn
{
    private PendingSignIn()
    {
    }

    /// <summary>The registration's (or reset's) id, as identity gave it.</summary>
    public Guid Id { get; private set; }

    public string OrgSlug { get; private set; } = "";

    /// <summary>E.164, shown masked.</summary>
    public string Phone { get; private set; } = "";

    public SignInPurpose Purpose { get; private set; }

    /// <summary>When the latest code was sent: another may be asked for 30 seconds later.</summary>
    public DateTimeOffset CodeSentAt { get; private set; }

    /// <summary>When the registration itself expires (a day after it started): the page is of no use after that.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public static PendingSignIn Start(Guid id, string orgSlug, string phone, SignInPurpose purpose, DateTimeOffset now) => new()
    {
        Id = id,
        OrgSlug = orgSlug,
        Phone = phone,
        Purpose = purpose,
        CodeSentAt = now,
        ExpiresAt = now + Lifetime,
    };

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public void CodeResent(DateTimeOffset now) => CodeSentAt = now;
}
