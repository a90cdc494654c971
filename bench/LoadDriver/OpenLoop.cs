using System.Diagnostics;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// An open-loop load generator: request i is due at start + i / rate whatever happened to earlier ones, so a
/// stalled server cannot slow the sending down (no coordinated omission). A dedicated thread wakes every
/// millisecond and sends whatever is due; it never spins, since on a 2-core machine a spinning driver would
/// take a core from the system it measures. Latency is reported from the moment each request was sent, and
/// the driver's lag behind the schedule (sleep granularity, a busy machine) apart, so that the two are never
/// mixed up.
/// </summary>
public static class OpenLoop
{
    public static async Task<LatencyReport> RunAsync(string name, int ratePerSecond, TimeSpan duration, Func<int, Task<bool>> request)
    {
        var count = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new double[count];
        var lags = new double[count];
        var failures = 0;
        var inFlight = new Task[count];
        var ticksPerRequest = (double)Stopwatch.Frequency / ratePerSecond;
        var start = Stopwatch.GetTimestamp();
        // Awaited, not joined: a pool thread blocked in Join for the whole run (two of them when two loops run at
        // once) leaves a two-core machine's pool without its minimum threads, and every answer waits for the pool
        // to grow: a stall of up to a second that both loops measure alike.
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var scheduler = new Thread(() =>
        {
            var index = 0;
            while (index < count)
            {
                var now = Stopwatch.GetTimestamp();
                for (var due = Due(index); index < count && due <= now; due = Due(++index))
                {
                    lags[index] = (now - due) * 1000.0 / Stopwatch.Frequency;
                    inFlight[index] = SendAsync(index);
                }

                Thread.Sleep(1);
            }

            scheduled.SetResult();
        }) { IsBackground = true, Name = "open-loop scheduler" };
        scheduler.Start();
        await scheduled.Task;
        await Task.WhenAll(inFlight);

        var elapsed = Stopwatch.GetElapsedTime(start);
        var lag = LatencyReport.Of("", lags, 0, elapsed, null);
        Console.WriteLine($"  {name}: driver's lag behind the schedule p50={lag.P50:F2}ms p99={lag.P99:F2}ms (not in the latency)");
        return LatencyReport.Of(name, latencies, failures, elapsed, ratePerSecond);

        long Due(int index) => start + (long)(index * ticksPerRequest);

        async Task SendAsync(int index)
        {
            var sent = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                ok = await request(index);
            }
            catch (Exception)
            {
                ok = false;
            }

            latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            if (!ok)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }

    /// <summary>
    /// Closed loop with <paramref name="concurrency"/> workers as fast as the server answers: throughput at saturation.
    /// Every latency is also added to <paramref name="samples"/> when given, so that interleaved bursts can be reported as one.
    /// </summary>
    public static async Task<LatencyReport> SaturateAsync(string name, int concurrency, TimeSpan duration, Func<int, Task<bool>> request, List<double>? samples = null)
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
        var all = latencies.SelectMany(l => l).ToArray();
        samples?.AddRange(all);
        return LatencyReport.Of(name, all, failures, elapsed, null);
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
