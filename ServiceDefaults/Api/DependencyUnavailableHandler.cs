using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>
/// The one answer when a service this one calls gave none: <c>503 service_unavailable</c> with <c>Retry-After</c>, so the
/// client knows to try again (docs/decisions/0008-one-internal-client.md). Never a 500, never a guess.
/// </summary>
internal sealed partial class DependencyUnavailableHandler(ILogger<DependencyUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DependencyUnavailableException unavailable)
        {
            return false;
        }

        LogUnavailable(logger, unavailable.Service, exception);
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ApiProblem.Of(ErrorCodes.ServiceUnavailable, $"The {unavailable.Service} service is unavailable; try again shortly.")
            .ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request failed: the {Service} service is unavailable")]
    private static partial void LogUnavailable(ILogger logger, string service, Exception exception);
}
