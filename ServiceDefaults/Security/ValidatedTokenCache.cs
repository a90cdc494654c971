using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace TeamPlatform.ServiceDefaults.Security;

/// <summary>
/// Remembers the access tokens that passed validation, so that the next requests carrying the same token skip
/// parsing it and checking its signature, most of what authenticating a request costs (docs/decisions/0005-validated-token-cache.md).
/// Only valid tokens are kept, each until it expires and only while the key that signed it is still one of the keys
/// in use; at most <c>capacity</c> of them. What runs after validation (the gateway's revocation
/// list) still runs on every request.
/// </summary>
public sealed class ValidatedTokenCache : TokenHandler, IDisposable
{
    private readonly TokenHandler _validator;
    private readonly TimeProvider _time;
    private readonly MemoryCache _validated;

    public ValidatedTokenCache(TokenHandler validator, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _validator = validator;
        _time = time;
        _validated = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_validated.TryGetValue(token, out TokenValidationResult? known)
            && ExpiresAt(known!.SecurityToken) > _time.GetUtcNow()
            && await IsStillInUseAsync(known.SecurityToken.SigningKey, validationParameters))
        {
            return CopyOf(known);
        }

        var result = await _validator.ValidateTokenAsync(token, validationParameters);
        if (result is not { IsValid: true, SecurityToken: { SigningKey: not null } validated } || ExpiresAt(validated) <= _time.GetUtcNow())
        {
            return result;
        }

        _validated.Set(token, result, new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpiration = ExpiresAt(validated),
        });
        return CopyOf(result);
    }

    public override SecurityToken ReadToken(string token) => _validator.ReadToken(token);

    public void Dispose() => _validated.Dispose();

    /// <summary>
    /// Whether the key that signed a remembered token is still one of the keys tokens are checked against: the
    /// same object, so that keys read again (identity's published keys refreshed) have each token checked once more.
    /// </summary>
    private static async ValueTask<bool> IsStillInUseAsync(SecurityKey signingKey, TokenValidationParameters parameters)
    {
        if (ReferenceEquals(parameters.IssuerSigningKey, signingKey)
            || parameters.IssuerSigningKeys?.Any(key => ReferenceEquals(key, signingKey)) == true)
        {
            return true;
        }

        return parameters.ConfigurationManager is { } published
            && (await published.GetBaseConfigurationAsync(CancellationToken.None)).SigningKeys.Any(key => ReferenceEquals(key, signingKey));
    }

    private static DateTimeOffset ExpiresAt(SecurityToken token) => new(token.ValidTo, TimeSpan.Zero);

    // Each request gets its own identity: what one request adds to its user must not reach the next.
    private static TokenValidationResult CopyOf(TokenValidationResult validated) => new()
    {
        IsValid = true,
        SecurityToken = validated.SecurityToken,
        ClaimsIdentity = validated.ClaimsIdentity.Clone(),
        Issuer = validated.Issuer,
        TokenType = validated.TokenType,
    };
}
