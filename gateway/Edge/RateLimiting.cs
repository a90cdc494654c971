using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Gateway.Edge;

internal static class RateLimiting
{
    public static readonly TimeSpan AnonymousWindow = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The anonymous limit per client address, counted in the gateway's database so that it holds across every gateway
    /// instance (docs/decisions/0016-shared-rate-limit.md); it fails open when the database does not answer.
    /// </summary>
    public static IServiceCollection AddAnonymousRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(GatewayPolicies.AnonymousRateLimit, context =>
            {
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.Get(client, address =>
                {
                    var requestServices = context.RequestServices;
                    var options = requestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
                    return new SharedFixedWindowLimiter(
                        $"{GatewayPolicies.AnonymousRateLimit}:{address}",
                        options.AnonymousPermitsPerMinute,
                        AnonymousWindow,
                        requestServices.GetRequiredService<RateLimitCounters>(),
                        requestServices.GetRequiredService<GatewayMetrics>(),
                        GatewayPolicies.AnonymousRateLimit,
                        requestServices.GetRequiredService<TimeProvider>());
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                rejected.HttpContext.RequestServices.GetRequiredService<GatewayMetrics>().RateLimitRefused(GatewayPolicies.AnonymousRateLimit);
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : AnonymousWindow;
                var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblem.Of(ErrorCodes.RateLimited, $"Too many requests; try again in {seconds} s.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        services.AddSingleton<RateLimitCounters>();
        return services;
    }
}
