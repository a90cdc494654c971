using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace TeamPlatform.Testing;

/// <summary>Reading a host's own meters (its <see cref="IMeterFactory"/>'s, so other hosts in the process do not count).</summary>
public static class Meters
{
    /// <summary>Collects what <paramref name="instrument"/> of the host's meter <paramref name="meter"/> records from now on.</summary>
    public static MetricCollector<T> Collect<T>(this IServiceProvider services, string meter, string instrument) where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), meter, instrument);

    /// <summary>The sum of the measurements whose tags include every one of <paramref name="tags"/> (name, value).</summary>
    public static long Sum(this MetricCollector<long> collector, params (string Name, string Value)[] tags) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tags.All(tag => m.Tags.TryGetValue(tag.Name, out var value) && Equals(value, tag.Value)))
            .Sum(m => m.Value);
}
