using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;
using TeamPlatform.Identity.Features.Tokens;
using TeamPlatform.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// OpenIddict as TeamPlatform's OAuth2 server (docs/identity.md#tokens): a fixed issuer (the gateway's public URL), signed and
/// unencrypted JWT access tokens for the audience <c>teamplatform</c>, rotating refresh tokens bound to one
/// authorization per session, revocation, discovery and JWKS. Identity validates its own tokens with the
/// local server, checking on each request that the session's authorization is still valid.
/// </summary>
internal static class TokenServer
{
    public const string TokenEndpoint = "connect/token";
    public const string RevocationEndpoint = "connect/revoke";
    public const string DiscoveryEndpoint = ".well-known/openid-configuration";
    public const string KeysEndpoint = ".well-known/jwks";

    public static IHostApplicationBuilder AddTokenServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TokenValidationOptions>()
            .BindConfiguration(TokenValidationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var tokens = builder.Configuration.GetSection(TokenOptions.Section).Get<TokenOptions>() ?? new TokenOptions();
        var development = builder.Environment.IsDevelopment();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenEndpoint)
                    .SetRevocationEndpointUris(RevocationEndpoint)
                    .SetConfigurationEndpointUris(DiscoveryEndpoint)
                    .SetJsonWebKeySetEndpointUris(KeysEndpoint);
                server.AllowPasswordFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow();
                // Members' apps are public clients: they log in with phone, password and org, no client id.
                server.AcceptAnonymousClients();
                server.RegisterScopes(Scopes.OfflineAccess, ServiceClientRegistration.PermissionsCheckScope);
                server.RegisterAudiences(TokenAuthentication.Audience);
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(tokens.AccessTokenLifetime).SetRefreshTokenLifetime(tokens.RefreshTokenLifetime);
                server.AddEventHandler(EndSessionOnRevocation.Descriptor);
                server.AddEventHandler(EndSessionOnRefreshTokenReuse.Descriptor);
                server.AddEventHandler(AccessTokensWithoutEntries.Descriptor);
                server.AddEventHandler(BeginLogin.Descriptor);
                server.AddEventHandler(ConcludeLogin.Descriptor);
                server.AddEventHandler(PublicDiscoveryDocument.Descriptor);
                server.AddEventHandler(PublicDiscoveryDocument.WithoutAuthorizationEndpoint.Descriptor);

                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (development)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                validation.AddAudiences(TokenAuthentication.Audience);
                // An ended session's access tokens stop working here at once (the gateway has its own list): each
                // names its session's authorization, whose status is checked on every request. Access tokens have no
                // row of their own (AccessTokensWithoutEntries). After UseLocalServer, which would switch this off.
                validation.EnableAuthorizationEntryValidation();
                validation.AddEventHandler(AuthorizationFromAccessToken.Descriptor);
            });

        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeysOptions>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, IssuerOptions>();
        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        return builder;
    }

    /// <summary>
    /// Tokens name the gateway's public URL as issuer, whichever way the request came in. No ID token is issued (there is
    /// no authorization endpoint, and members read who they are from <c>/api/me</c>), so <c>openid</c>, which OpenIddict
    /// accepts by default, is refused as an unknown scope rather than granted and ignored (docs/decisions/0105).
    /// </summary>
    private sealed class IssuerOptions(IOptions<TokenValidationOptions> validation) : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions options)
        {
            options.Issuer = new Uri(validation.Value.Issuer.TrimEnd('/') + "/", UriKind.Absolute);
            options.Scopes.Remove(Scopes.OpenId);
        }
    }
}
