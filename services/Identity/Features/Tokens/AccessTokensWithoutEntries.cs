using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// Access tokens get no database row. Nothing would read it: the gateway and the services check the signature
/// and the gateway's revocation list, identity checks the session's authorization on every request, and signing
/// out revokes the refresh token, which keeps its row. Every login and refresh writes one row fewer
/// (docs/decisions/0104-login-beside-the-hash.md).
/// </summary>
internal sealed class AccessTokensWithoutEntries : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<AccessTokensWithoutEntries>()
            .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType == TokenTypeIdentifiers.AccessToken)
        {
            context.CreateTokenEntry = false;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Without a row to read it from, the session's authorization is taken from the access token itself (its
/// <c>oi_au_id</c> claim, signed with the rest), so that OpenIddict still refuses the tokens of an ended session.
/// </summary>
internal sealed class AuthorizationFromAccessToken : IOpenIddictValidationHandler<OpenIddictValidationEvents.ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<OpenIddictValidationEvents.ValidateTokenContext>()
            .UseSingletonHandler<AuthorizationFromAccessToken>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateAuthorizationEntry.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(OpenIddictValidationEvents.ValidateTokenContext context)
    {
        if (string.IsNullOrEmpty(context.AuthorizationId) && context.Principal?.GetAuthorizationId() is { Length: > 0 } authorizationId)
        {
            context.AuthorizationId = authorizationId;
        }

        return ValueTask.CompletedTask;
    }
}
