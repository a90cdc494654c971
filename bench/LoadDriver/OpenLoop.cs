using System.Diagnostics;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// An open-loop load generator: request i is due at start + i / rate whatever happened to earlier ones, and
/// its latency runs from that due time (not from when it was sent), so a stalled server shows as latency
/// instead of silently lowering the rate (no coordinated omission).
/// </summary>
public static class OpenLoop
{
    public static async Task<LatencyReport> RunAsync(string name, int ratePerSecond, TimeSpan duration, Func<int, Task<bool>> request)
    {
        var count = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new double[count];
        var failures = 0;
        var inFlight = new List<Task>(count);
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = (double)Stopwatch.Frequency / ratePerSecond;

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        var next = 0;
        while (next < count)
        {
            var now = Stopwatch.GetTimestamp();
            while (next < count && start + (long)(next * ticksPerRequest) <= now)
            {
                var index = next++;
                var due = start + (long)(index * ticksPerRequest);
                inFlight.Add(Task.Run(async () =>
                {
                    bool ok;
                    try
                    {
                        ok = await request(index);
                    }
                    catch (Exception)
                    {
                        ok = false;
                    }

                    latencies[index] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    if (!ok)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }));
            }

            await timer.WaitForNextTickAsync();
        }

        await Task.WhenAll(inFlight);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return LatencyReport.Of(name, latencies, failures, elapsed, ratePerSecond);
    }

    /// <summary>Closed loop with <paramref name="concurrency"/> workers as fast as the server answers: throughput at saturation.</summary>
    public static async Task<LatencyReport> SaturateAsync(string name, int concurrency, TimeSpan duration, Func<int, Task<bool>> request)
    {
        var latencies = new List<double>[concurrency];
        var failures = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            var i = worker;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var sent = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await request(i);
                }
                catch (Exception)
                {
                    ok = false;
                }

                mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }

                i += concurrency;
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(start);
        return LatencyReport.Of(name, latencies.SelectMany(l => l).ToArray(), failures, elapsed, null);
    }
}

public sealed record LatencyReport(string Name, int Requests, int Failures, double Seconds, int? TargetRate, double P50, double P90, double P99, double Max)
{
    public double Throughput => Requests / Seconds;

    public static LatencyReport Of(string name, double[] latencies, int failures, TimeSpan elapsed, int? rate)
    {
        var sorted = latencies.Order().ToArray();
        double At(double quantile) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        return new LatencyReport(name, sorted.Length, failures, elapsed.TotalSeconds, rate, At(0.50), At(0.90), At(0.99), sorted.LastOrDefault());
    }

    public override string ToString() =>
        $"{Name,-40} n={Requests,7} fail={Failures,4} {(TargetRate is null ? "" : $"rate={TargetRate}/s ")}thr={Throughput,8:F1}/s p50={P50,8:F2}ms p90={P90,8:F2}ms p99={P99,8:F2}ms max={Max,8:F2}ms";
}
