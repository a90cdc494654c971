using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// A password grant whose tokens were issued while its password was still being checked (see
/// <see cref="TokenEndpoint"/>). Its conclusion commits the login and answers null, or rolls it back and answers
/// the refusal; when OpenIddict could not issue the tokens, it is rolled back whatever the password.
/// </summary>
internal sealed class PendingLogin
{
    private Func<bool, CancellationToken, Task<string?>>? _conclude;

    public void Await(Func<bool, CancellationToken, Task<string?>> conclude) => _conclude = conclude;

    public Task<string?> ConcludeAsync(bool tokensIssued, CancellationToken cancellationToken)
    {
        var conclude = _conclude;
        _conclude = null; // once: a response is applied once per request
        return conclude is null ? Task.FromResult<string?>(null) : conclude(tokensIssued, cancellationToken);
    }
}

/// <summary>
/// Holds a token response until its pending login is concluded; a refused login's tokens, never sent, are
/// replaced by the refusal (<c>invalid_grant</c>, the reason in <c>error_description</c>).
/// </summary>
internal sealed class ConcludeLogin(PendingLogin login) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<ConcludeLogin>()
            .SetOrder(int.MinValue + 10_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (await login.ConcludeAsync(tokensIssued: context.Response.Error is null, context.CancellationToken) is { } refusal)
        {
            context.Response = new OpenIddictResponse
            {
                Error = OpenIddictConstants.Errors.InvalidGrant,
                ErrorDescription = refusal,
            };
        }
    }
}
