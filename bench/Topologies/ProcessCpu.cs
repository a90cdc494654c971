using System.Diagnostics;

namespace TeamPlatform.Topologies;

/// <summary>
/// CPU time as the kernel counts it (<c>/proc</c>): of one process (user + system, <c>/proc/{pid}/stat</c>), and of the
/// whole machine (<c>/proc/stat</c>), so that what a burst cost each process and how busy both cores were can be read.
/// </summary>
public static class ProcessCpu
{
    // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
    private const double MillisecondsPerTick = 10;

    /// <summary>User + system CPU time of <paramref name="pid"/> so far, in milliseconds; 0 once it has gone.</summary>
    public static double Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) * MillisecondsPerTick;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The machine's (busy, total) CPU time so far, in milliseconds over all cores.</summary>
    public static (double Busy, double Total) Machine()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = ticks[3] + ticks[4]; // idle + iowait
        var total = ticks.Take(8).Sum(); // guest time is already counted in user
        return ((total - idle) * MillisecondsPerTick, total * MillisecondsPerTick);
    }

    public static double OfThisProcess() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    /// <summary>
    /// The process listening on each TCP port, from <c>ss -ltnpH</c>. Aspire starts a project through <c>dotnet run</c>,
    /// so the resource's own process id is the launcher's; the one that listens on its port is the service.
    /// </summary>
    public static IReadOnlyDictionary<int, int> Listeners()
    {
        using var ss = Process.Start(new ProcessStartInfo("ss", "-ltnpH") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        var listeners = new Dictionary<int, int>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var local = columns[3];
            var pidAt = line.IndexOf("pid=", StringComparison.Ordinal);
            if (pidAt < 0 || !int.TryParse(local[(local.LastIndexOf(':') + 1)..], out var port))
            {
                continue;
            }

            var digits = line[(pidAt + 4)..].TakeWhile(char.IsDigit).ToArray();
            listeners[port] = int.Parse(digits);
        }

        return listeners;
    }
}
