using Microsoft.AspNetCore.Http.Features;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// Refuses a declared body over the limit before anything is proxied. Bodies without a length are cut by
/// Kestrel's own limit (the same size) while they stream. A bulk invitation upload may be larger
/// (docs/decisions/0304-bulk-invitations.md): that route alone gets its own limit, in both places.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    public const string BulkInvitationsPath = "/api/invitations/bulk";

    public const int BulkInvitationsBodyBytes = 1024 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var limit = ApiDefaults.MaxRequestBodyBytes;
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(BulkInvitationsPath, StringComparison.OrdinalIgnoreCase))
        {
            limit = BulkInvitationsBodyBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
            {
                kestrelLimit.MaxRequestBodySize = limit;
            }
        }

        if (context.Request.ContentLength > limit)
        {
            // The body stays unread, and Kestrel drops a connection whose body it cannot drain: said in the answer, a client
            // opens a new connection for its next request instead of sending it on one about to close.
            context.Response.Headers.Connection = "close";
            return ApiProblem.Of(ErrorCodes.PayloadTooLarge, $"The request body is larger than {Describe(limit)}.")
                .ExecuteAsync(context);
        }

        return next(context);
    }

    private static string Describe(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";
}
