using Microsoft.Extensions.Time.Testing;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Domain;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>The answers a login and a refresh get, decided without I/O: decision 0103.</summary>
public sealed class LoginPolicyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static Credential NewCredential(DateTimeOffset now) =>
        Credential.Create(Guid.NewGuid(), Guid.NewGuid(), "+254711000000", "amina", "hash", now);

    private Credential LockedCredential(LockoutPolicy lockout)
    {
        var credential = NewCredential(_time.GetUtcNow());
        for (var i = 0; i < lockout.MaxFailedAttempts; i++)
        {
            LoginPolicy.CountWrongPassword(credential, lockout, _time.GetUtcNow());
        }

        return credential;
    }

    [Fact]
    public void An_unknown_credential_is_refused_before_the_hash_as_invalid_credentials()
    {
        Assert.False(LoginPolicy.AdmitsToHash(null, _time.GetUtcNow(), out var refusal));
        Assert.Equal("invalid_credentials", refusal);
    }

    [Fact]
    public void A_credential_that_is_not_locked_goes_on_to_the_hash()
    {
        var credential = NewCredential(_time.GetUtcNow());
        LoginPolicy.CountWrongPassword(credential, LockoutPolicy.Default, _time.GetUtcNow());

        Assert.True(LoginPolicy.AdmitsToHash(credential, _time.GetUtcNow(), out var refusal));
        Assert.Null(refusal);
    }

    [Fact]
    public void Wrong_passwords_are_invalid_credentials_until_the_fifth_in_a_row_locks_the_account()
    {
        var credential = NewCredential(_time.GetUtcNow());

        var answers = Enumerable.Range(0, 5)
            .Select(_ => LoginPolicy.CountWrongPassword(credential, LockoutPolicy.Default, _time.GetUtcNow()))
            .ToList();

        Assert.Equal(["invalid_credentials", "invalid_credentials", "invalid_credentials", "invalid_credentials", "account_locked"],
            answers.Select(a => a.Refusal));
        Assert.All(answers, a => Assert.True(a.Counted));
        Assert.Equal([false, false, false, false, true], answers.Select(a => a.LocksAccount));
    }

    [Fact]
    public void A_locked_account_is_refused_before_the_hash_until_its_lockout_ends()
    {
        var credential = LockedCredential(LockoutPolicy.Default);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.False(LoginPolicy.AdmitsToHash(credential, _time.GetUtcNow(), out var whileLocked));
        Assert.Equal("account_locked", whileLocked);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(LoginPolicy.AdmitsToHash(credential, _time.GetUtcNow(), out _));
    }

    [Fact]
    public void Once_a_lockout_ends_the_count_starts_again()
    {
        var credential = LockedCredential(LockoutPolicy.Default);
        _time.Advance(TimeSpan.FromMinutes(5));

        var answer = LoginPolicy.CountWrongPassword(credential, LockoutPolicy.Default, _time.GetUtcNow());

        Assert.Equal(new WrongPasswordAnswer("invalid_credentials", Counted: true), answer);
        Assert.Equal(1, credential.FailedLogins);
    }

    [Fact]
    public void A_wrong_password_on_an_account_another_attempt_just_locked_is_refused_and_neither_counted_nor_extends_the_lock()
    {
        var credential = LockedCredential(LockoutPolicy.Default);
        var lockedUntil = credential.LockedUntil;
        _time.Advance(TimeSpan.FromMinutes(1));

        var answer = LoginPolicy.CountWrongPassword(credential, LockoutPolicy.Default, _time.GetUtcNow());

        Assert.Equal(new WrongPasswordAnswer("account_locked", Counted: false), answer);
        Assert.False(answer.LocksAccount);
        Assert.Equal(5, credential.FailedLogins);
        Assert.Equal(lockedUntil, credential.LockedUntil);
    }

    [Fact]
    public void The_limit_and_the_lockout_duration_are_the_configured_ones()
    {
        var lockout = new LockoutPolicy(MaxFailedAttempts: 3, Duration: TimeSpan.FromMinutes(10));
        var credential = NewCredential(_time.GetUtcNow());

        var answers = Enumerable.Range(0, 3).Select(_ => LoginPolicy.CountWrongPassword(credential, lockout, _time.GetUtcNow()).Refusal).ToList();
        _time.Advance(TimeSpan.FromMinutes(9));
        var lockedAfterNine = !LoginPolicy.AdmitsToHash(credential, _time.GetUtcNow(), out _);
        _time.Advance(TimeSpan.FromMinutes(1));
        var admittedAfterTen = LoginPolicy.AdmitsToHash(credential, _time.GetUtcNow(), out _);

        Assert.Equal(["invalid_credentials", "invalid_credentials", "account_locked"], answers);
        Assert.True(lockedAfterNine);
        Assert.True(admittedAfterTen);
    }

    [Theory]
    [InlineData(MemberStatuses.Active, null)]
    [InlineData(MemberStatuses.PendingApproval, "pending_approval")]
    [InlineData(MemberStatuses.Blocked, "access_blocked")]
    [InlineData(MemberStatuses.Removed, "invalid_credentials")]
    [InlineData(null, "invalid_credentials")]
    [InlineData("suspended", "invalid_credentials")]
    public void Only_an_active_member_gets_tokens_and_one_permission_does_not_know_is_a_stranger(string? status, string? refusal) =>
        Assert.Equal(refusal, LoginPolicy.RefusalForStatus(status));

    [Theory]
    [InlineData(null)]
    [InlineData("pending_approval")]
    [InlineData("access_blocked")]
    [InlineData("invalid_credentials")]
    public void A_wrong_password_is_counted_whatever_the_status_so_the_status_is_never_revealed(string? statusRefusal) =>
        Assert.Equal(LoginOutcome.CountWrongPassword, LoginPolicy.Decide(passwordRight: false, statusRefusal));

    [Fact]
    public void A_right_password_gets_tokens_for_an_active_member_and_the_status_refusal_otherwise()
    {
        Assert.Equal(LoginOutcome.IssueTokens, LoginPolicy.Decide(passwordRight: true, statusRefusal: null));
        Assert.Equal(LoginOutcome.RefuseForStatus, LoginPolicy.Decide(passwordRight: true, statusRefusal: "pending_approval"));
    }

    [Fact]
    public void A_refresh_needs_its_session_going_on_and_its_member_not_removed()
    {
        var now = _time.GetUtcNow();
        var credential = NewCredential(now);
        var session = Session.Start(credential.MemberId, credential.OrgId, "app", now);
        var ended = Session.Start(credential.MemberId, credential.OrgId, "app", now);
        ended.End(SessionEndReasons.SignedOut, now);
        var removed = NewCredential(now);
        removed.Remove(now);

        Assert.True(LoginPolicy.AllowsRefresh(session, credential, out _));
        Assert.False(LoginPolicy.AllowsRefresh(ended, credential, out var endedRefusal));
        Assert.False(LoginPolicy.AllowsRefresh(null, credential, out var unknownRefusal));
        Assert.False(LoginPolicy.AllowsRefresh(session, removed, out var removedRefusal));
        Assert.False(LoginPolicy.AllowsRefresh(session, null, out var noCredentialRefusal));
        Assert.All([endedRefusal, unknownRefusal, removedRefusal, noCredentialRefusal], refusal => Assert.Equal("invalid_credentials", refusal));
    }

    [Fact]
    public void A_lockout_does_not_stop_a_refresh()
    {
        var credential = LockedCredential(LockoutPolicy.Default);
        var session = Session.Start(credential.MemberId, credential.OrgId, "app", _time.GetUtcNow());

        Assert.True(LoginPolicy.AllowsRefresh(session, credential, out _));
    }
}
