using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// Refuses a declared body over the limit before anything is proxied. Bodies without a length are cut by
/// Kestrel's own limit (the same size) while they stream.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > ApiDefaults.MaxRequestBodyBytes)
        {
            return ApiProblem.Of(ErrorCodes.PayloadTooLarge, $"The request body is larger than {ApiDefaults.MaxRequestBodyBytes / 1024} KiB.")
                .ExecuteAsync(context);
        }

        return next(context);
    }
}
