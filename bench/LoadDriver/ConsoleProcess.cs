using System.Globalization;

namespace TeamPlatform.LoadDriver;

/// <summary>The console's process on this machine, read from <c>/proc</c>: its CPU time and resident memory.</summary>
public sealed class ConsoleProcess(int pid)
{
    // The kernel counts CPU time in clock ticks of 10 ms (USER_HZ is 100 on Linux).
    private const double MillisecondsPerTick = 10;

    public static ConsoleProcess Find()
    {
        var found = Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Directory: d))
            .Where(p => p.Pid > 0 && IsConsole(p.Directory))
            .Select(p => p.Pid)
            .ToArray();
        return found.Length == 1
            ? new ConsoleProcess(found[0])
            : throw new InvalidOperationException($"expected one running console process (TeamPlatform.Console), found {found.Length}: start ./run.sh first");
    }

    private static bool IsConsole(string directory)
    {
        try
        {
            var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
            return arguments.Length > 0 && (arguments[0].EndsWith("/TeamPlatform.Console", StringComparison.Ordinal)
                || arguments.Any(a => a.EndsWith("/TeamPlatform.Console.dll", StringComparison.Ordinal)));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>User and system CPU time the process has used so far.</summary>
    public double CpuMilliseconds()
    {
        // The command name in parentheses may hold spaces: the fields that follow start after its closing parenthesis.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var userTicks = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var systemTicks = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (userTicks + systemTicks) * MillisecondsPerTick;
    }

    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
