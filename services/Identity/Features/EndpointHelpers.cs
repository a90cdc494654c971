using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Identity.Features;

internal static class EndpointHelpers
{
    /// <summary>The client's address as the gateway saw it (forwarded headers are applied before this runs).</summary>
    public static string ClientIp(this HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A 429 with <c>Retry-After</c> in whole seconds, never zero, counted by its <paramref name="limit"/> (<see cref="RateLimits"/>).</summary>
    public static ProblemHttpResult RateLimited(this HttpContext http, string limit, TimeSpan wait, string detail)
    {
        http.RequestServices.GetRequiredService<IdentityMetrics>().RateLimitRefused(limit);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblem.Of(ErrorCodes.RateLimited, $"{detail} Try again in {seconds} s.");
    }

    public static bool IsUniqueViolation(this Microsoft.EntityFrameworkCore.DbUpdateException exception, string index) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
        && postgres.ConstraintName == index;
}
