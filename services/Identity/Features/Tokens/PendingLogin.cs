using System.Diagnostics.CodeAnalysis;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using TeamPlatform.Identity.Domain;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// A password grant in flight (see <see cref="TokenEndpoint"/>): its check, begun by <see cref="BeginLogin"/>
/// before OpenIddict validates the request, and its conclusion, run by <see cref="ConcludeLogin"/> once the
/// tokens are issued. The conclusion commits the login and answers null, or rolls it back and answers the
/// refusal; when OpenIddict could not issue the tokens, it is rolled back whatever the password.
/// </summary>
internal sealed class PendingLogin
{
    private Func<bool, CancellationToken, Task<string?>>? _conclude;

    public PasswordAttempt? Attempt { get; set; }

    public void Await(Func<bool, CancellationToken, Task<string?>> conclude) => _conclude = conclude;

    public Task<string?> ConcludeAsync(bool tokensIssued, CancellationToken cancellationToken)
    {
        var conclude = _conclude;
        _conclude = null; // once: a response is applied once per request
        return conclude is null ? Task.FromResult<string?>(null) : conclude(tokensIssued, cancellationToken);
    }
}

/// <summary>Refused before any hash (unknown phone, locked account), or a credential whose password is being checked.</summary>
internal sealed record PasswordAttempt(string? Refusal, Credential? Credential, Task<LoginVerdict>? Verdict)
{
    [MemberNotNullWhen(true, nameof(Refusal))]
    [MemberNotNullWhen(false, nameof(Credential), nameof(Verdict))]
    public bool IsRefused => Refusal is not null;

    public static PasswordAttempt Refused(string refusal) => new(refusal, null, null);

    public static PasswordAttempt Checking(Credential credential, Task<LoginVerdict> verdict) => new(null, credential, verdict);
}

/// <summary>Whether the password is right and, if so, why the member may not have tokens (null: they may).</summary>
internal readonly record struct LoginVerdict(bool PasswordRight, string? Refusal, string? Rehash);

/// <summary>
/// Reads the credential and starts the hash as soon as OpenIddict has read a password grant, so that OpenIddict's
/// own checks of the request run beside the hash instead of before it (docs/decisions/0104-login-beside-the-hash.md).
/// </summary>
internal sealed class BeginLogin(TokenEndpoint endpoint, PendingLogin login) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<BeginLogin>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateGrantType.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        // Only a complete password grant: OpenIddict refuses one without a username or password in the handlers that follow.
        if (context.Request.IsPasswordGrantType()
            && !string.IsNullOrEmpty(context.Request.Username)
            && !string.IsNullOrEmpty(context.Request.Password))
        {
            login.Attempt = await endpoint.BeginPasswordAsync(context.Request, context.CancellationToken);
        }
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
