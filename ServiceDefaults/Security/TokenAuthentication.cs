using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TeamPlatform.ServiceDefaults.Security;

public sealed class TokenValidationOptions
{
    public const string Section = "Authentication";

    /// <summary>The issuer identity puts in every token: the gateway's public URL.</summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>Where the signing keys are read; service discovery resolves <c>identity</c>.</summary>
    [Required]
    public string MetadataAddress { get; set; } = "http://identity/.well-known/openid-configuration";

    public string Audience { get; set; } = TokenAuthentication.Audience;

    /// <summary>How many validated tokens are remembered (<see cref="ValidatedTokenCache"/>); 0 validates every request anew.</summary>
    [Range(0, 1_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 10_000;
}

public static class TokenAuthentication
{
    /// <summary>The resource every TeamPlatform access token is issued for.</summary>
    public const string Audience = "teamplatform";

    public const string MetadataClientName = "token-metadata";

    /// <summary>
    /// Standard JWT bearer validation of identity's signed access tokens. The gateway validates them too,
    /// but every service checks again: the gateway is not the only wall.
    /// </summary>
    public static TBuilder AddTokenAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<TokenValidationOptions>()
            .BindConfiguration(TokenValidationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(MetadataClientName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<TokenValidationOptions>, IHttpClientFactory>((jwt, tokens, clients) =>
            {
                var settings = tokens.Value;
                jwt.MapInboundClaims = false;
                jwt.MetadataAddress = settings.MetadataAddress;
                jwt.RequireHttpsMetadata = false; // internal traffic; the public issuer is checked below
                jwt.Backchannel = clients.CreateClient(MetadataClientName);
                jwt.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                    settings.MetadataAddress, new KeysFromIdentity(), new HttpDocumentRetriever(jwt.Backchannel) { RequireHttps = false });
                jwt.RefreshOnIssuerKeyNotFound = true;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer.TrimEnd('/') + "/",
                    ValidAudience = settings.Audience,
                    NameClaimType = TokenClaims.Subject,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    // Identity signs with RS256 only: a token may not choose how it is checked (RFC 8725, 3.1).
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                };
                if (settings.ValidatedTokenCacheSize > 0)
                {
                    for (var i = 0; i < jwt.TokenHandlers.Count; i++)
                    {
                        jwt.TokenHandlers[i] = new ValidatedTokenCache(jwt.TokenHandlers[i], settings.ValidatedTokenCacheSize, TimeProvider.System);
                    }
                }
            });
        builder.Services.AddHostedService<SigningKeysAtStart>();
        builder.Services.AddAuthorization();
        return builder;
    }
}
