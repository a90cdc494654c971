using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TeamPlatform.ServiceDefaults.Security;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly CountingValidator _validator = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ValidatedTokenCache _cache;

    public ValidatedTokenCacheTests() => _cache = new ValidatedTokenCache(_validator, capacity: 100, _clock);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task A_valid_token_is_checked_once_and_then_answered_from_memory()
    {
        var member = Guid.NewGuid();
        var token = TestTokens.ForMember(Guid.NewGuid(), member);

        var parameters = Parameters(TestTokens.SigningKey);

        // Each request validates with its own copy of the parameters.
        var first = await _cache.ValidateTokenAsync(token, parameters.Clone());
        var second = await _cache.ValidateTokenAsync(token, parameters.Clone());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(member.ToString(), second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal(1, _validator.Calls);
    }

    [Fact]
    public async Task Each_answer_has_an_identity_of_its_own()
    {
        var token = TestTokens.ForMember(Guid.NewGuid(), Guid.NewGuid());
        var first = await _cache.ValidateTokenAsync(token, Parameters(TestTokens.SigningKey));
        first.ClaimsIdentity.AddClaim(new Claim("added-by-one-request", "yes"));

        var second = await _cache.ValidateTokenAsync(token, Parameters(TestTokens.SigningKey));

        Assert.Null(second.ClaimsIdentity.FindFirst("added-by-one-request"));
    }

    [Fact]
    public async Task A_refused_token_is_checked_again_every_time()
    {
        var token = TestTokens.ForMember(Guid.NewGuid(), Guid.NewGuid());
        var otherKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = TestTokens.SigningKey.KeyId };

        Assert.False((await _cache.ValidateTokenAsync(token, Parameters(otherKey))).IsValid);
        Assert.False((await _cache.ValidateTokenAsync(token, Parameters(otherKey))).IsValid);
        Assert.Equal(2, _validator.Calls);
    }

    [Fact]
    public async Task A_token_is_not_answered_from_memory_once_it_has_expired()
    {
        var token = TestTokens.ForMember(Guid.NewGuid(), Guid.NewGuid(), lifetime: TimeSpan.FromMinutes(5));
        await _cache.ValidateTokenAsync(token, Parameters(TestTokens.SigningKey));

        _clock.Advance(TimeSpan.FromMinutes(5));
        await _cache.ValidateTokenAsync(token, Parameters(TestTokens.SigningKey));

        Assert.Equal(2, _validator.Calls);
    }

    [Fact]
    public async Task Once_the_signing_keys_change_a_token_signed_with_a_withdrawn_key_is_refused()
    {
        var token = TestTokens.ForMember(Guid.NewGuid(), Guid.NewGuid());
        var keysBefore = Parameters(TestTokens.SigningKey);
        Assert.True((await _cache.ValidateTokenAsync(token, keysBefore)).IsValid);
        Assert.True((await _cache.ValidateTokenAsync(token, keysBefore.Clone())).IsValid);

        var keysAfter = Parameters(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "next-key" });

        Assert.False((await _cache.ValidateTokenAsync(token, keysAfter)).IsValid);
        Assert.Equal(2, _validator.Calls);
    }

    private static TokenValidationParameters Parameters(SecurityKey signingKey) => new()
    {
        ValidIssuer = TestTokens.Issuer,
        ValidAudience = TestTokens.Audience,
        IssuerSigningKeys = [signingKey],
    };

    private sealed class CountingValidator : TokenHandler
    {
        private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
        private int _calls;

        public int Calls => _calls;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return _handler.ValidateTokenAsync(token, validationParameters);
        }
    }
}
