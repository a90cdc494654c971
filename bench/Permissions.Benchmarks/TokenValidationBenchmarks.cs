using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Benchmarks;

/// <summary>
/// Authenticating a request to the check (in the gateway and again in permission): an access token shaped like
/// identity's (RS256, 2048-bit key) validated anew, against the same token answered by <see cref="ValidatedTokenCache"/>.
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "benchmark-key" };
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private TokenHandler _cache = null!; // a ValidatedTokenCache, disposed at cleanup
    private TokenValidationParameters _parameters = null!;
    private string _token = "";

    [GlobalSetup]
    public async Task Setup()
    {
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = "http://localhost:5080/",
            ValidAudience = "teamplatform",
            IssuerSigningKeys = [_key],
            NameClaimType = "sub",
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        _token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "http://localhost:5080/",
            Audience = "teamplatform",
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Guid.NewGuid().ToString(),
                ["org"] = Guid.NewGuid().ToString(),
                ["sid"] = Guid.NewGuid().ToString(),
                ["scope"] = "offline_access",
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
        _cache = new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, capacity: 10_000, TimeProvider.System);
        if (!(await _cache.ValidateTokenAsync(_token, _parameters)).IsValid)
        {
            throw new InvalidOperationException("The benchmark's token does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => ((IDisposable)_cache).Dispose();

    // Per request, as the JWT bearer handler does: its own copy of the parameters.
    [Benchmark(Baseline = true)]
    public async Task<bool> ValidatedAnew() => (await _handler.ValidateTokenAsync(_token, _parameters.Clone())).IsValid;

    [Benchmark]
    public async Task<bool> AnsweredFromMemory() => (await _cache.ValidateTokenAsync(_token, _parameters.Clone())).IsValid;
}
