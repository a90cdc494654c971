using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace TeamPlatform.System.Tests.Faults;

/// <summary>
/// The operating-system processes behind the system's resources: found from the resource's snapshot, signalled like an
/// operator's <c>kill</c> would, and started again with the resource's own start command (as the dashboard's button).
/// </summary>
public sealed class ServiceProcesses(DistributedApplication app)
{
    /// <summary>
    /// The process that runs the service itself. The snapshot names the process the orchestrator started, which is
    /// <c>dotnet run --project …</c>: killing that would leave the service running, orphaned. The service is the
    /// descendant that runs the assembly, as its own executable or through <c>dotnet</c>.
    /// </summary>
    public async Task<int> ServicePidAsync(string resource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && PidOf(e.Snapshot) is not null, timeout.Token);
        var started = PidOf(running.Snapshot)!.Value;
        var assembly = Project(resource).GetProjectMetadata().ProjectPath is var path ? Path.GetFileNameWithoutExtension(path) : resource;
        return new[] { started }.Concat(Descendants(started)).FirstOrDefault(pid => Runs(pid, assembly)) is var found and > 0
            ? found
            : throw new InvalidOperationException($"No process of {resource} ({assembly}) under {started}: {string.Join(' ', CommandLine(started))}");
    }

    private static bool Runs(int pid, string assembly) => CommandLine(pid) switch
    {
        [var executable, ..] when Path.GetFileName(executable) == assembly => true,
        [var host, .. var arguments] when Path.GetFileName(host) == "dotnet" => arguments.Any(a => Path.GetFileName(a) == $"{assembly}.dll"),
        _ => false,
    };

    /// <summary><c>kill -9</c>: no shutdown, no flush, connections dropped mid-request.</summary>
    public async Task<int> KillAsync(string resource)
    {
        var pid = await ServicePidAsync(resource);
        await SignalAsync(pid, "KILL");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text != KnownResourceStates.Running, timeout.Token);
        return pid;
    }

    /// <summary>Starts a resource that exited, and waits until it is healthy again.</summary>
    public async Task StartAsync(string resource)
    {
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(Project(resource), KnownResourceCommands.StartCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Starting {resource} failed: {result.Message}");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            timeout.Token);
    }

    /// <summary><c>kill -STOP</c> for <paramref name="duration"/>, then <c>kill -CONT</c>: a service that stops answering without closing anything.</summary>
    public async Task FreezeAsync(string resource, TimeSpan duration)
    {
        var pid = await ServicePidAsync(resource);
        await SignalAsync(pid, "STOP");
        try
        {
            await Task.Delay(duration);
        }
        finally
        {
            await SignalAsync(pid, "CONT");
        }
    }

    private ProjectResource Project(string resource) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Single(r => r.Name == resource);

    private static int? PidOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name.EndsWith(".pid", StringComparison.Ordinal))?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, out var pid) => pid,
            _ => null,
        };

    private static IEnumerable<int> Descendants(int pid)
    {
        foreach (var child in Children(pid))
        {
            yield return child;
            foreach (var grandchild in Descendants(child))
            {
                yield return grandchild;
            }
        }
    }

    private static List<int> Children(int pid)
    {
        var tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
        {
            return [];
        }

        return Directory.GetDirectories(tasks)
            .Select(task => Path.Combine(task, "children"))
            .Where(File.Exists)
            .SelectMany(file => File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)
            .ToList();
    }

    private static string[] CommandLine(int pid) =>
        File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries) : [];

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(global::System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed");
        }
    }
}
