using Microsoft.AspNetCore.Http.Features;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Gateway.Edge;

/// <summary>
/// Refuses a declared body over the limit before anything is proxied. Bodies without a length are cut by
/// Kestrel's own limit (the same size) while they stream. A bulk invitation upload may be larger
/// (docs/decisions/0304-bulk-invitations.md): that route alone gets its own limit, in both places.
/// </summary>
/// <remarks>
/// The 413 goes out before the body is read. A client sending a few KiB too many is still sending when it arrives: were
/// the connection closed with the body unread, the bytes still arriving would reset it and could destroy the answer before
/// the client read it. So a body of up to <see cref="DrainedBodyBytes"/> is read and thrown away after the answer (Kestrel
/// drains what the application left unread, for a few seconds at most, when its limit allows the declared length) and the
/// connection carries the client's next request. A larger one is not worth reading: the answer says
/// <c>Connection: close</c>, and a careful client that sent <c>Expect: 100-continue</c> never sent it at all.
/// </remarks>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    public const string BulkInvitationsPath = "/api/invitations/bulk";

    public const int BulkInvitationsBodyBytes = 1024 * 1024;

    public const int DrainedBodyBytes = 4 * 1024 * 1024;

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

        if (context.Request.ContentLength is { } declared && declared > limit)
        {
            if (declared <= DrainedBodyBytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } drained)
            {
                drained.MaxRequestBodySize = declared;
            }
            else
            {
                context.Response.Headers.Connection = "close";
            }

            return ApiProblem.Of(ErrorCodes.PayloadTooLarge, $"The request body is larger than {Describe(limit)}.")
                .ExecuteAsync(context);
        }

        return next(context);
    }

    private static string Describe(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";
}
