using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using TeamPlatform.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// The client credentials grant: a service (a confidential client from <c>Identity:Clients</c>) gets a token for the
/// scopes it asked for, without an organisation.
/// </summary>
internal static class ClientCredentialsGrant
{
    public static IResult Handle(OpenIddictRequest request)
    {
        // OpenIddict has authenticated the client and checked that it may ask for these scopes.
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetClaim(Claims.ClientId, request.ClientId);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        principal.SetAudiences(TokenAuthentication.Audience);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
