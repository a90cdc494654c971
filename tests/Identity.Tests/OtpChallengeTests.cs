using System.Text;
using TeamPlatform.Identity.Domain;
using Xunit;

namespace TeamPlatform.Identity.Tests;

public sealed class OtpChallengeTests
{
    private static readonly OtpHasher Hasher = new(Encoding.UTF8.GetBytes("unit-test-otp-key-0123456789abcdef"));
    private static readonly OtpPolicy Policy = OtpPolicy.Default;
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_code_is_six_digits_and_only_its_keyed_hash_is_kept()
    {
        var challenge = OtpChallenge.Issue(Hasher, Policy, Now, out var code);

        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(32, challenge.CodeHash.Length);
        Assert.DoesNotContain(code, Convert.ToHexString(challenge.CodeHash) + Encoding.ASCII.GetString(challenge.CodeHash));
        Assert.Equal(Now + TimeSpan.FromMinutes(5), challenge.ExpiresAt);
    }

    [Fact]
    public void Codes_come_from_the_whole_range()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => { OtpChallenge.Issue(Hasher, Policy, Now, out var c); return c; }).ToHashSet();

        Assert.True(codes.Count > 190, "two hundred codes out of a million should almost never repeat");
    }

    [Fact]
    public void The_right_code_verifies_within_five_minutes()
    {
        var challenge = OtpChallenge.Issue(Hasher, Policy, Now, out var code);

        Assert.Null(challenge.Verify(Hasher, Policy, code, Now.AddMinutes(4).AddSeconds(59)));
    }

    [Fact]
    public void A_code_expires_after_five_minutes()
    {
        var challenge = OtpChallenge.Issue(Hasher, Policy, Now, out var code);

        Assert.Equal("otp_expired", DomainRulesTests.CodeOf(challenge.Verify(Hasher, Policy, code, Now.AddMinutes(5))));
    }

    [Fact]
    public void Five_wrong_tries_lock_the_challenge_even_for_the_right_code()
    {
        var challenge = OtpChallenge.Issue(Hasher, Policy, Now, out var code);
        var wrong = code == "000000" ? "111111" : "000000";

        var answers = Enumerable.Range(0, 5).Select(_ => DomainRulesTests.CodeOf(challenge.Verify(Hasher, Policy, wrong, Now))).ToList();

        Assert.Equal(["otp_invalid", "otp_invalid", "otp_invalid", "otp_invalid", "otp_locked"], answers);
        Assert.Equal("otp_locked", DomainRulesTests.CodeOf(challenge.Verify(Hasher, Policy, code, Now)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("abcdef")]
    [InlineData("12 456")]
    public void Malformed_codes_are_wrong_tries(string attempt)
    {
        var challenge = OtpChallenge.Issue(Hasher, Policy, Now, out _);

        Assert.Equal("otp_invalid", DomainRulesTests.CodeOf(challenge.Verify(Hasher, Policy, attempt, Now)));
        Assert.Equal(1, challenge.FailedAttempts);
    }

    [Fact]
    public void A_resend_waits_for_the_cooldown_then_replaces_the_code_and_lifts_the_lock()
    {
        var challenge = OtpChallenge.Issue(Hasher, Policy, Now, out var first);
        for (var i = 0; i < 5; i++)
        {
            challenge.Verify(Hasher, Policy, first == "000000" ? "111111" : "000000", Now);
        }

        Assert.False(challenge.TryResend(Hasher, Policy, Now.AddSeconds(29), out _));
        Assert.Equal(TimeSpan.FromSeconds(1), challenge.ResendWait(Policy, Now.AddSeconds(29)));
        Assert.True(challenge.TryResend(Hasher, Policy, Now.AddSeconds(30), out var second));

        Assert.False(challenge.IsLocked);
        Assert.Equal(0, challenge.FailedAttempts);
        Assert.Equal(Now.AddSeconds(30) + Policy.CodeLifetime, challenge.ExpiresAt);
        Assert.Null(challenge.Verify(Hasher, Policy, second, Now.AddSeconds(31)));
    }

    [Fact]
    public void An_earlier_code_no_longer_works_after_a_resend()
    {
        var challenge = OtpChallenge.Issue(Hasher, Policy, Now, out var first);
        string second;
        do
        {
            challenge.TryResend(Hasher, Policy, Now.AddMinutes(1), out second);
        }
        while (second == first);

        Assert.Equal("otp_invalid", DomainRulesTests.CodeOf(challenge.Verify(Hasher, Policy, first, Now.AddMinutes(1))));
    }

    [Fact]
    public void Equal_codes_of_two_challenges_hash_differently_and_the_key_matters()
    {
        var a = Hasher.Hash(Guid.NewGuid(), "123456");
        var b = Hasher.Hash(Guid.NewGuid(), "123456");
        var id = Guid.NewGuid();
        var otherKey = new OtpHasher(Encoding.UTF8.GetBytes("another-otp-key-0123456789abcdef-x"));

        Assert.NotEqual(a, b);
        Assert.NotEqual(Hasher.Hash(id, "123456"), otherKey.Hash(id, "123456"));
    }

    [Fact]
    public void An_unmatchable_challenge_refuses_every_code_like_a_real_one()
    {
        var challenge = OtpChallenge.Unmatchable(Policy, Now);

        var answers = Enumerable.Range(0, 5).Select(i => DomainRulesTests.CodeOf(challenge.Verify(Hasher, Policy, $"{i:D6}", Now))).ToList();

        Assert.Equal(["otp_invalid", "otp_invalid", "otp_invalid", "otp_invalid", "otp_locked"], answers);
    }

    [Fact]
    public void A_short_key_is_refused() =>
        Assert.Throws<ArgumentException>(() => new OtpHasher(new byte[16]));
}
