using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// <c>POST /connect/token</c>. OpenIddict has already checked the request's shape, the client and (for a refresh)
/// the token itself; the grant decides who gets tokens.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, PasswordGrant password, RefreshTokenGrant refresh)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");

        if (request.IsPasswordGrantType())
        {
            return await password.HandleAsync(http, http.RequestAborted);
        }

        if (request.IsRefreshTokenGrantType())
        {
            return await refresh.HandleAsync(http, http.RequestAborted);
        }

        if (request.IsClientCredentialsGrantType())
        {
            return ClientCredentialsGrant.Handle(request);
        }

        return TokenAnswers.Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }
}
