using OpenIddict.Abstractions;
using OpenIddict.Server;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.ServiceDefaults.Security;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// A refresh token redeemed again after the grace for a lost answer is taken as stolen, and its whole session ends
/// (docs/decisions/0100-sessions-are-openiddict-authorizations.md). OpenIddict on its own revokes the session's refresh tokens but keeps the authorization, so
/// the access token the thief or the owner got last would work for the rest of its life; ending the session here
/// revokes the authorization too and announces it, so that identity and every gateway refuse that token at once.
/// Runs just before OpenIddict's own check of the token's entry, which still refuses the token.
/// </summary>
internal sealed class EndSessionOnRefreshTokenReuse(
    IOpenIddictTokenManager tokens,
    SessionRevoker revoker,
    TimeProvider time) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<EndSessionOnRefreshTokenReuse>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.IsRejected || context.Principal is not { } principal || string.IsNullOrEmpty(context.TokenId)
            || !principal.HasTokenType(OpenIddictConstants.TokenTypeIdentifiers.RefreshToken)
            || !Guid.TryParse(principal.GetClaim(TokenClaims.Session), out var sessionId))
        {
            return;
        }

        var token = await tokens.FindByIdAsync(context.TokenId, context.CancellationToken);
        if (token is null || !await tokens.HasStatusAsync(token, OpenIddictConstants.Statuses.Redeemed, context.CancellationToken)
            || await WithinGraceAsync(token, context.Options.RefreshTokenReuseLeeway, context.CancellationToken))
        {
            return;
        }

        await revoker.EndCommittedAsync(sessionId, SessionEndReasons.RefreshTokenReused, context.CancellationToken);
    }

    /// <summary>The same grace OpenIddict gives: a client whose answer was lost may redeem the token again for a while.</summary>
    private async Task<bool> WithinGraceAsync(object token, TimeSpan? leeway, CancellationToken cancellationToken)
    {
        if (leeway is null)
        {
            return false;
        }

        var redeemedAt = await tokens.GetRedemptionDateAsync(token, cancellationToken);
        return redeemedAt is null || time.GetUtcNow() < redeemedAt + leeway;
    }
}
