using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TeamPlatform.AppHost;

/// <summary>
/// What someone who starts the system reads in the terminal, with <c>./run.sh</c> or <c>dotnet run</c> alike: one line
/// when the gateway and every service are ready, and one line naming any service that exits, with the first error it wrote (a failed
/// settings check says there what is missing). The dashboard has the rest; these lines spare a newcomer from guessing
/// whether the system is up from the dashboard's address, printed long before it is.
/// </summary>
internal static class StartReport
{
    /// <summary>The ready line waits for every service, not only the gateway: the gateway answers 503 for a service still starting.</summary>
    public static IResourceBuilder<ProjectResource> ReportWhenReady(this IResourceBuilder<ProjectResource> gateway)
    {
        gateway.ApplicationBuilder.Services.AddHostedService(services => new ReadyReport(
            gateway.GetEndpoint("http"),
            services.GetRequiredService<ResourceNotificationService>(),
            services.GetRequiredService<DistributedApplicationModel>()));
        return gateway;
    }

    public static IDistributedApplicationBuilder ReportExitedServices(this IDistributedApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ExitedServiceReport>();
        return builder;
    }
}

internal sealed class ReadyReport(
    EndpointReference gateway,
    ResourceNotificationService notifications,
    DistributedApplicationModel model) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(model.Resources.OfType<ProjectResource>()
                .Select(project => notifications.WaitForResourceHealthyAsync(project.Name, stoppingToken)));
            Console.WriteLine($"TeamPlatform is ready on {gateway.Url}");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before everything was up: the exit lines, if any, said why.
        }
    }
}

internal sealed class ExitedServiceReport(
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reported = new HashSet<string>();
        await foreach (var update in notifications.WatchAsync(stoppingToken))
        {
            var state = update.Snapshot.State?.Text;
            if (update.Resource is not ProjectResource)
            {
                continue;
            }

            if (state == KnownResourceStates.Running)
            {
                reported.Remove(update.ResourceId); // restarted from the dashboard: a later exit is news again
                continue;
            }

            // Ctrl-C stops every service too; that is no news.
            if (lifetime.ApplicationStopping.IsCancellationRequested
                || state is null || !KnownResourceStates.TerminalStates.Contains(state)
                || update.Snapshot.ExitCode is 0
                || !reported.Add(update.ResourceId))
            {
                continue;
            }

            var code = update.Snapshot.ExitCode is { } exitCode ? $" (exit code {exitCode})" : "";
            var firstError = await FirstErrorLineAsync(update.ResourceId, stoppingToken);
            Console.WriteLine(firstError is null
                ? $"TeamPlatform: {update.Resource.Name} exited{code}; its log is on the dashboard."
                : $"TeamPlatform: {update.Resource.Name} exited{code}: {firstError}");
        }
    }

    /// <summary>The first line the service wrote to its error output: an unhandled exception's message, typically.</summary>
    private async Task<string?> FirstErrorLineAsync(string resourceId, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(LogWait);
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(wait.Token))
            {
                foreach (var line in batch)
                {
                    if (line.IsErrorMessage && !string.IsNullOrWhiteSpace(line.Content))
                    {
                        return WithoutTimestamp(line.Content).Trim();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Nothing written to the error output within the wait.
        }

        return null;
    }

    // The orchestrator stamps each line it captures ("2026-12-03T12:15:32.5840000Z Unhandled exception. …").
    private static string WithoutTimestamp(string line) =>
        line.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, out _)
            ? line[(space + 1)..]
            : line;
}
