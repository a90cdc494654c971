using Microsoft.AspNetCore.Diagnostics;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>A service identity depends on is down: 503 with a code, so the client knows to try again (nothing was written).</summary>
internal sealed partial class DependencyUnavailableHandler(ILogger<DependencyUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DependencyUnavailableException unavailable)
        {
            return false;
        }

        LogUnavailable(logger, unavailable.Service, exception);
        httpContext.Response.Headers.RetryAfter = "5";
        await ApiProblem.Of(ErrorCodes.ServiceUnavailable, $"The {unavailable.Service} service is unavailable; try again shortly.")
            .ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request failed: the {Service} service is unavailable")]
    private static partial void LogUnavailable(ILogger logger, string service, Exception exception);
}
