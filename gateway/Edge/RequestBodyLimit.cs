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
/// A client sending a few KiB too many is still sending when the refusal is ready: were the connection closed with the
/// body unread, the bytes still arriving would reset it and could destroy the answer before the client read it. So a
/// body of up to <see cref="DrainedBodyBytes"/> is read and thrown away first (for <see cref="DrainTime"/> at most),
/// and the connection carries the client's next request. A larger one is not worth reading, nor is one a careful client
/// holds back until told to go on (<c>Expect: 100-continue</c>, which then never comes): the answer goes out at once
/// and says <c>Connection: close</c>.
/// </remarks>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    public const string BulkInvitationsPath = "/api/invitations/bulk";

    public const int BulkInvitationsBodyBytes = 1024 * 1024;

    public const int DrainedBodyBytes = 4 * 1024 * 1024;

    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(5);

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
            return RefuseAsync(context, declared, limit);
        }

        return next(context);
    }

    private static async Task RefuseAsync(HttpContext context, long declared, int limit)
    {
        if (!await DrainedAsync(context, declared))
        {
            context.Response.Headers.Connection = "close";
        }

        await ApiProblem.Of(ErrorCodes.PayloadTooLarge, $"The request body is larger than {Describe(limit)}.").ExecuteAsync(context);
    }

    private static async Task<bool> DrainedAsync(HttpContext context, long declared)
    {
        if (declared > DrainedBodyBytes
            || context.Request.Headers.Expect.Count > 0
            || context.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } bodyLimit)
        {
            return false;
        }

        bodyLimit.MaxRequestBodySize = declared;
        using var drainTime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        drainTime.CancelAfter(DrainTime);
        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, drainTime.Token);
            return true;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or BadHttpRequestException)
        {
            return false;
        }
    }

    private static string Describe(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";
}
