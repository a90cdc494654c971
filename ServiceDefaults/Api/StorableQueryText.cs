using Microsoft.AspNetCore.Http;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>
/// Refuses a request whose decoded query string holds text that cannot be stored (<see cref="StorableText"/>), naming the
/// parameter, before any endpoint binds it. Body strings are checked as they are read (<see cref="StorableBodyText"/>).
/// A path needs no check: Kestrel refuses a <c>%00</c> in it before any middleware runs, and decoding UTF-8 never yields an
/// unpaired surrogate.
/// </summary>
internal sealed class StorableQueryText(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (Flaw(context.Request) is { } problem)
        {
            await ApiProblem.Of(ErrorCodes.ValidationFailed, problem).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static string? Flaw(HttpRequest request)
    {
        if (!request.QueryString.HasValue)
        {
            return null;
        }

        foreach (var (name, values) in request.Query)
        {
            if (StorableText.Flaw(name) is { } nameFlaw)
            {
                return $"A query parameter's name {nameFlaw}.";
            }

            foreach (var value in values)
            {
                if (StorableText.Flaw(value) is { } flaw)
                {
                    return $"Query parameter '{name}' {flaw}.";
                }
            }
        }

        return null;
    }
}
