using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TeamPlatform.ServiceDefaults.Security;

/// <summary>
/// Reads identity's signing keys as the process starts, and again every few seconds until identity answers, so that no
/// request is the first to need them. The first token a process checks waits for that read; were identity down at that
/// moment, every request with a token would wait for it, retried for seconds, while the process had no other trouble
/// (docs/reliability.md). Keys once read are kept, and refreshed in the background, through any outage of identity.
/// </summary>
internal sealed partial class SigningKeysAtStart(IOptionsMonitor<JwtBearerOptions> options, ILogger<SigningKeysAtStart> logger)
    : BackgroundService
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is not { } keys)
        {
            return;
        }

        var pause = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The read itself cannot be cancelled: stopping does not wait for it.
                await keys.GetConfigurationAsync(stoppingToken).WaitAsync(stoppingToken);
                LogRead(logger);
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogNotYet(logger, exception.Message, pause.TotalSeconds);
                await Task.Delay(pause, stoppingToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Read the signing keys from identity")]
    private static partial void LogRead(ILogger logger);

    // Identity starting after this process is the usual order of a start, not a fault.
    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the signing keys from identity yet ({Reason}); trying again in {PauseSeconds} s")]
    private static partial void LogNotYet(ILogger logger, string reason, double pauseSeconds);
}
