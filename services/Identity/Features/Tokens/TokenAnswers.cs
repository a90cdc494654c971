using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using TeamPlatform.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>What the grants hand to OpenIddict: a member's identity to issue tokens for, or a refusal.</summary>
internal static class TokenAnswers
{
    /// <summary>Identity only — <c>sub</c>, <c>org</c>, <c>sid</c> — never roles or permissions (docs/product.md#tokens-carry-identity-only).</summary>
    public static ClaimsPrincipal MemberPrincipal(Guid memberId, Guid orgId, Guid sessionId)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, memberId.ToString());
        identity.SetClaim(TokenClaims.Organisation, orgId.ToString());
        identity.SetClaim(TokenClaims.Session, sessionId.ToString());
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(ImmutableArray.Create(Scopes.OfflineAccess));
        principal.SetAudiences(TokenAuthentication.Audience);
        return principal;
    }

    /// <summary><c>invalid_grant</c>, the reason (one of <c>LoginRefusals</c>) in <c>error_description</c>.</summary>
    public static IResult Refuse(string refusal) => Refuse(Errors.InvalidGrant, refusal);

    public static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
