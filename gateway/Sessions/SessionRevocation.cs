using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.IdentityModel.JsonWebTokens;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Gateway.Sessions;

/// <summary>Session revocation at the edge: the list, how it is filled, and the check on every token.</summary>
public static class SessionRevocation
{
    public const string HealthCheckName = "session-revocations";

    public static IServiceCollection AddSessionRevocation(this IServiceCollection services)
    {
        services.AddOptions<SessionRevocationOptions>()
            .BindConfiguration(SessionRevocationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RevocationList>();
        services.AddInternalClient<IdentityClient>(ServiceNames.Identity);
        services.AddSingleton<RevocationListLoader>();
        services.AddHostedService(provider => provider.GetRequiredService<RevocationListLoader>());
        services.AddHealthChecks().AddCheck<RevocationListLoader>(HealthCheckName, tags: [Extensions.ReadinessTag]);
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            var validated = jwt.Events.OnTokenValidated;
            jwt.Events.OnTokenValidated = async context =>
            {
                await validated(context);
                if (context.Result is null && IsRevoked(context))
                {
                    context.Fail("The session of this access token has ended.");
                }
            };
        });
        return services;
    }

    /// <summary>Each gateway instance hears every revocation on a temporary queue of its own.</summary>
    public static void AddSessionRevocationConsumer(this IBusRegistrationConfigurator bus, string serviceName) =>
        bus.AddPerInstanceConsumer<MemberSessionsRevokedConsumer>(serviceName, Guid.NewGuid().ToString("N")[..12]);

    private static bool IsRevoked(TokenValidatedContext context)
    {
        var user = context.Principal!;
        if (user.MemberId() is not { } memberId || !Guid.TryParse(user.SessionId(), out var sessionId)
            || context.SecurityToken is not JsonWebToken token)
        {
            return false; // a service's token has no session
        }

        var revocations = context.HttpContext.RequestServices.GetRequiredService<RevocationList>();
        return revocations.IsRevoked(memberId, sessionId, new DateTimeOffset(token.IssuedAt, TimeSpan.Zero));
    }
}

public sealed class MemberSessionsRevokedConsumer(RevocationList revocations) : IConsumer<MemberSessionsRevoked>
{
    // In memory only, and adding twice changes nothing: no inbox needed (decision 0001).
    public Task Consume(ConsumeContext<MemberSessionsRevoked> context)
    {
        var revoked = context.Message;
        revocations.Add(revoked.MemberId, Guid.TryParse(revoked.SessionId, out var sessionId) ? sessionId : null, revoked.RevokedBefore);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Loads the revocations still in force from identity when the gateway starts (after its queue is bound, so
/// nothing falls between the two), retrying until identity answers. Until then the gateway is not ready: it cannot yet
/// promise to refuse ended sessions. That is where every start begins, not a fault, so it is reported as degraded (a
/// readiness check: <c>/health</c> answers 503) rather than unhealthy, which the health service would log as an error.
/// </summary>
public sealed partial class RevocationListLoader(
    IBusControl bus,
    IdentityClient identity,
    RevocationList revocations,
    TimeProvider time,
    ILogger<RevocationListLoader> logger) : BackgroundService, IHealthCheck
{
    private volatile bool _loaded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The queue must be bound first: a revocation published between the load and the binding would be lost.
        if (await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)) != BusHealthStatus.Healthy)
        {
            LogBusNotReady(logger);
        }

        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var items = await identity.GetRevocationsAsync(stoppingToken);
                foreach (var item in items)
                {
                    revocations.Add(item.MemberId, item.SessionId, item.RevokedBefore);
                }

                _loaded = true;
                LogLoaded(logger, items.Count);
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogLoadFailed(logger, exception, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_loaded
            ? HealthCheckResult.Healthy("The revocation list is loaded.")
            : HealthCheckResult.Degraded("The revocation list has not been loaded from identity yet."));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message bus was not ready after 30 s; loading session revocations anyway")]
    private static partial void LogBusNotReady(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} session revocations from identity")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load session revocations from identity; retrying in {DelaySeconds} s")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, double delaySeconds);
}
