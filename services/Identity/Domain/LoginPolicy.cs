using System.Diagnostics.CodeAnalysis;
using TeamPlatform.Contracts.V1;

namespace TeamPlatform.Identity.Domain;

/// <summary>What becomes of a login once its password and the member's status are known.</summary>
public enum LoginOutcome
{
    IssueTokens,
    RefuseForStatus,
    CountWrongPassword,
}

/// <summary>
/// The answer to a wrong password. <see cref="Counted"/> is false when another attempt locked the account meanwhile:
/// that one has already been counted, and the lock it set is not extended.
/// </summary>
public readonly record struct WrongPasswordAnswer(string Refusal, bool Counted)
{
    /// <summary>This wrong password reached the limit and locked the account.</summary>
    public bool LocksAccount => Counted && Refusal == LoginRefusals.AccountLocked;
}

/// <summary>
/// Every answer a password or refresh grant can get, decided from what is already known — the credential, the
/// clock, whether the password matched, the member's status at permission — with no I/O
/// (docs/decisions/0103-verification-and-login-rules.md). The failed-password counter itself is the
/// <see cref="Credential"/>'s; this decides when it is read and when it counts.
/// </summary>
public static class LoginPolicy
{
    /// <summary>
    /// Before any hash. An unknown credential (unknown phone or organisation, removed member) is an invalid
    /// credential; a locked account is refused whatever the password, so a lock cannot be probed for the right one.
    /// A lock that has run out is lifted here, and the count starts again.
    /// </summary>
    public static bool AdmitsToHash([NotNullWhen(true)] Credential? credential, DateTimeOffset now, [NotNullWhen(false)] out string? refusal)
    {
        refusal = credential is null ? LoginRefusals.InvalidCredentials
            : credential.EnsureNotLockedOut(now) is { } locked ? LoginRefusals.Of(locked)
            : null;
        return refusal is null;
    }

    /// <summary>Only an active member gets tokens; one permission does not know, or has removed, is a stranger.</summary>
    public static string? RefusalForStatus(string? status) => status switch
    {
        MemberStatuses.Active => null,
        MemberStatuses.PendingApproval => LoginRefusals.PendingApproval,
        MemberStatuses.Blocked => LoginRefusals.AccessBlocked,
        _ => LoginRefusals.InvalidCredentials,
    };

    /// <summary>
    /// After the hash. A wrong password is answered as one whatever the member's status, so that a phone's status is
    /// never revealed to someone without its password.
    /// </summary>
    public static LoginOutcome Decide(bool passwordRight, string? statusRefusal) =>
        !passwordRight ? LoginOutcome.CountWrongPassword
        : statusRefusal is null ? LoginOutcome.IssueTokens
        : LoginOutcome.RefuseForStatus;

    /// <summary>
    /// Counts a wrong password on the credential as read under its row lock, so that concurrent wrong passwords are
    /// all counted; the one that reaches the limit locks the account.
    /// </summary>
    public static WrongPasswordAnswer CountWrongPassword(Credential credential, LockoutPolicy lockout, DateTimeOffset now) =>
        credential.EnsureNotLockedOut(now) is { } locked
            ? new WrongPasswordAnswer(LoginRefusals.Of(locked), Counted: false)
            : new WrongPasswordAnswer(LoginRefusals.Of(credential.RecordFailedLogin(lockout, now)), Counted: true);

    /// <summary>
    /// A refresh, before the status is asked: its session still going and its member not removed. A lockout does not
    /// stop it: the lockout is against guessing passwords, and a refresh proves none.
    /// </summary>
    public static bool AllowsRefresh([NotNullWhen(true)] Session? session, Credential? credential, [NotNullWhen(false)] out string? refusal)
    {
        refusal = session is { IsActive: true } && credential is { IsRemoved: false } ? null : LoginRefusals.InvalidCredentials;
        return refusal is null;
    }
}
