using TeamPlatform.Console.Infrastructure.Sessions;

namespace TeamPlatform.Console.Infrastructure;

/// <summary>Once a minute: sessions whose browser never claimed them are signed out, finished-with sign-ins forgotten.</summary>
internal sealed class ConsoleSweeper(MemberSessions sessions, TimeProvider time, ILogger<ConsoleSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sessions.SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "The console's sweep failed; the next one tries again");
            }
        }
    }
}
