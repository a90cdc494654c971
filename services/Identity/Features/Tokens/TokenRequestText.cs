using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// Reads a form posted to <c>/connect/…</c> before the token server does, and answers one it cannot read with OAuth2's own
/// <c>invalid_request</c>: ASP.NET Core's form reader refuses a value holding U+0000 (which no database could store either,
/// docs/decisions/0013-text-that-cannot-be-stored.md) or a form past its limits by throwing, which the token server would
/// leave to become a 500. Decoding UTF-8 never yields an unpaired surrogate, so nothing else needs checking here.
/// </summary>
internal sealed class TokenRequestText(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/connect") && context.Request.HasFormContentType && !await ReadableAsync(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
            {
                [Parameters.Error] = Errors.InvalidRequest,
                [Parameters.ErrorDescription] = "The form cannot be read: a value holds the character U+0000 (NUL), or the form is too large.",
            });
            return;
        }

        await next(context);
    }

    private static async Task<bool> ReadableAsync(HttpRequest request)
    {
        try
        {
            await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
