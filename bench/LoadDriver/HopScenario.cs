using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// The floor under the check scenario's ratio: two processes of bench/BareHop on this machine, a proxy that answers
/// <c>/alive</c> itself and forwards <c>/roles</c> to an app that answers it from memory, driven at <c>--rate</c> the
/// way the check scenario drives the gateway (its own <c>/alive</c>, then a forwarded route). Nothing of TeamPlatform
/// is in the path, so the forwarded route's p99 ÷ <c>/alive</c>'s p99 is what a forwarding hop costs on these cores.
/// Build it first: <c>dotnet build -c Release bench/BareHop</c>.
/// </summary>
public static class HopScenario
{
    private static readonly string Executable = Path.GetFullPath("bench/BareHop/bin/Release/net10.0/TeamPlatform.BareHop");

    public static async Task RunAsync(DriverOptions options)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run `dotnet build -c Release bench/BareHop` from the repository root first");
        }

        var appPort = FreePort();
        var proxyPort = FreePort();
        using var app = Start("app", appPort);
        using var proxy = Start("proxy", proxyPort, $"http://127.0.0.1:{appPort}");
        using var client = options.Client(new Uri($"http://127.0.0.1:{proxyPort}"));
        await ReadyAsync(client, "/roles");

        Func<int, Task<bool>> Get(string path) => async _ =>
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK;
        };

        await OpenLoop.RunAsync("warm-up", 200, TimeSpan.FromSeconds(3), Get("/alive"));
        await OpenLoop.RunAsync("warm-up", 200, TimeSpan.FromSeconds(3), Get("/roles"));
        var floor = await OpenLoop.RunAsync("bare proxy's own /alive (open loop, the floor)", options.Rate, options.Duration, Get("/alive"));
        Console.WriteLine(floor);
        var hop = await OpenLoop.RunAsync("/roles through the bare proxy (open loop)", options.Rate, options.Duration, Get("/roles"));
        Console.WriteLine(hop);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bare hop p99 / floor p99 = {hop.P99 / floor.P99:F2}; bare hop p50 - floor p50 = {hop.P50 - floor.P50:F2} ms"));
    }

    private static BareHopProcess Start(string mode, int port, string? target = null)
    {
        var start = new ProcessStartInfo(Executable) { ArgumentList = { mode, port.ToString(CultureInfo.InvariantCulture) } };
        if (target is not null)
        {
            start.ArgumentList.Add(target);
        }

        return new BareHopProcess(Process.Start(start)!);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task ReadyAsync(HttpClient client, string path)
    {
        for (var attempt = 1; attempt <= 100; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the bare proxy did not answer {path} within 10 s");
    }

    /// <summary>A process of the scenario's own: stopped with it.</summary>
    private sealed class BareHopProcess(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
