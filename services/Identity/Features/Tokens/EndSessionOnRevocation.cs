using OpenIddict.Abstractions;
using OpenIddict.Server;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.ServiceDefaults.Security;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// Revoking a refresh token at <c>/connect/revoke</c> is how a client signs out: the whole session ends, and
/// its access tokens are refused at the gateway too.
/// </summary>
internal sealed class EndSessionOnRevocation(SessionRevoker revoker) : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseScopedHandler<EndSessionOnRevocation>()
            .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        var token = context.GenericTokenPrincipal;
        if (context.IsRejected || token is null || !token.HasTokenType(OpenIddictConstants.TokenTypeIdentifiers.RefreshToken)
            || !Guid.TryParse(token.GetClaim(TokenClaims.Session), out var sessionId))
        {
            return;
        }

        await revoker.EndCommittedAsync(sessionId, SessionEndReasons.SignedOut, context.CancellationToken);
    }
}
