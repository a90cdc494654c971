using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TeamPlatform.ServiceDefaults;

public static class ServiceMetrics
{
    /// <summary>
    /// Registers a service's meters (<typeparamref name="TMetrics"/>, one singleton that creates its instruments) and
    /// creates them as the process starts: an observable gauge exists only once its class does, and must not wait for
    /// the first request that happens to need it.
    /// </summary>
    public static IServiceCollection AddServiceMetrics<TMetrics>(this IServiceCollection services) where TMetrics : class
    {
        services.AddSingleton<TMetrics>();
        services.AddHostedService<InstrumentsAtStart<TMetrics>>();
        return services;
    }

    private sealed class InstrumentsAtStart<TMetrics>(TMetrics metrics) : IHostedService where TMetrics : class
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(metrics);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
