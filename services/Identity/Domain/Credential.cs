namespace TeamPlatform.Identity.Domain;

/// <summary>How many failed passwords in a row lock an account, and for how long.</summary>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan Duration)
{
    public static LockoutPolicy Default { get; } = new(5, TimeSpan.FromMinutes(5));
}

/// <summary>The reasons a login is refused, as the token endpoint names them (docs/identity.md#tokens).</summary>
public static class LoginRefusals
{
    public const string InvalidCredentials = "invalid_credentials";
    public const string AccountLocked = "account_locked";
    public const string PendingApproval = "pending_approval";
    public const string AccessBlocked = "access_blocked";

    /// <summary>The name of a credential's refusal (a wrong password, a locked account).</summary>
    public static string Of(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.InvalidCredentials => InvalidCredentials,
        RefusalKind.AccountLocked => AccountLocked,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "Not a refusal of a login."),
    };
}

/// <summary>
/// What a member proves themselves with: phone and password within one organisation. Its id is the
/// member id that permission gave. A removed member's credential stays (for the record) but frees the phone.
/// </summary>
public sealed class Credential
{
    private Credential()
    {
    }

    public Guid MemberId { get; private set; }

    public Guid OrgId { get; private set; }

    public string Phone { get; private set; } = "";

    public string Username { get; private set; } = "";

    public string PasswordHash { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset PasswordChangedAt { get; private set; }

    public DateTimeOffset? RemovedAt { get; private set; }

    public int FailedLogins { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public bool IsRemoved => RemovedAt is not null;

    public static Credential Create(Guid memberId, Guid orgId, string phone, string username, string passwordHash, DateTimeOffset now) => new()
    {
        MemberId = memberId,
        OrgId = orgId,
        Phone = phone,
        Username = username,
        PasswordHash = passwordHash,
        CreatedAt = now,
        PasswordChangedAt = now,
    };

    /// <summary>Refuses a login while the account is locked; a lock that has run out is lifted here.</summary>
    public Refusal? EnsureNotLockedOut(DateTimeOffset now)
    {
        if (LockedUntil is { } until)
        {
            if (now < until)
            {
                return Locked;
            }

            LockedUntil = null;
            FailedLogins = 0;
        }

        return null;
    }

    /// <summary>Counts a wrong password; the one that reaches the limit locks the account and says so.</summary>
    public Refusal RecordFailedLogin(LockoutPolicy policy, DateTimeOffset now)
    {
        FailedLogins++;
        if (FailedLogins >= policy.MaxFailedAttempts)
        {
            LockedUntil = now + policy.Duration;
            return Locked;
        }

        return new Refusal(RefusalKind.InvalidCredentials, "The phone or password is not right.");
    }

    public void RecordSuccessfulLogin()
    {
        FailedLogins = 0;
        LockedUntil = null;
    }

    public void ChangePassword(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        PasswordChangedAt = now;
        FailedLogins = 0;
        LockedUntil = null;
    }

    /// <summary>A stronger hash of the same password, when the hasher asks for one.</summary>
    public void Rehash(string passwordHash) => PasswordHash = passwordHash;

    public Refusal? Rename(string username)
    {
        if (!Domain.Username.IsValid(username))
        {
            return Refusal.Invalid($"username has 1 to {Domain.Username.MaxLength} characters.");
        }

        Username = username.Trim();
        return null;
    }

    /// <summary>The member was removed: the phone is free for a new registration.</summary>
    public bool Remove(DateTimeOffset now)
    {
        if (IsRemoved)
        {
            return false;
        }

        RemovedAt = now;
        return true;
    }

    private static Refusal Locked { get; } = new(RefusalKind.AccountLocked, "Too many failed passwords; try again in a few minutes.");
}
