using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>
/// A request that could not reach the service's own database (restarting, refusing connections, the connection cut
/// mid-command) becomes <see cref="ApiProblem.WriteDatabaseUnavailableAsync"/>: the client may try again, and nothing was
/// written, since the unit of work did not commit. Any other database error stays a 500.
/// </summary>
internal sealed partial class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnreachable(exception))
        {
            return false;
        }

        LogUnavailable(logger, exception);
        await ApiProblem.WriteDatabaseUnavailableAsync(httpContext);
        return true;
    }

    /// <summary>
    /// A database exception anywhere in the chain (EF Core wraps the driver's) that says the server was not there: SQL
    /// states of class 08 (connection exception) and 57P (the server shutting down or starting: <c>57P01</c>–<c>57P03</c>),
    /// <c>53300</c> (no connection slot left), or a driver error caused by the network or a timeout.
    /// </summary>
    public static bool IsDatabaseUnreachable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException database
                && (database.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal) || state == "53300")
                    || database.InnerException is SocketException or IOException or TimeoutException))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request failed: the database is unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
