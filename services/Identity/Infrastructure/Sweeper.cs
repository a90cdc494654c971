using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// Forgets what has run out: unverified registrations and organisation proposals (freeing their slugs),
/// old password resets, the hour of code sends the caps look at, revocations no token can outlive, and
/// OpenIddict's expired tokens and authorizations. Every replica may sweep; the deletes do not conflict.
/// </summary>
internal sealed partial class Sweeper(
    IServiceScopeFactory scopes,
    IOptions<TokenOptions> tokens,
    TimeProvider time,
    ILogger<Sweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var now = time.GetUtcNow();

        // A completed registration is kept until it would have expired, so that retried verifications answer alike.
        await db.Registrations.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        await db.Organisations.Where(o => o.VerifiedAt == null && o.ProposalExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        await db.PasswordResets.Where(r => r.CreatedAt <= now.AddDays(-1)).ExecuteDeleteAsync(cancellationToken);
        await db.OtpSends.Where(s => s.SentAt <= now.AddHours(-1)).ExecuteDeleteAsync(cancellationToken);
        var revocationHorizon = now - tokens.Value.AccessTokenLifetime - TimeSpan.FromHours(1);
        await db.SessionRevocations.Where(r => r.RevokedBefore <= revocationHorizon).ExecuteDeleteAsync(cancellationToken);

        var openIddictHorizon = now.AddDays(-14);
        await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(openIddictHorizon, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(openIddictHorizon, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired identity data failed; trying again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
