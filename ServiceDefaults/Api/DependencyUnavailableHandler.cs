using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>A call to another service that got no answer becomes <see cref="ApiProblem.WriteServiceUnavailableAsync"/>.</summary>
internal sealed partial class DependencyUnavailableHandler(ILogger<DependencyUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DependencyUnavailableException unavailable)
        {
            return false;
        }

        LogUnavailable(logger, unavailable.Service, exception);
        await ApiProblem.WriteServiceUnavailableAsync(httpContext, unavailable.Service);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request failed: the {Service} service is unavailable")]
    private static partial void LogUnavailable(ILogger logger, string service, Exception exception);
}
