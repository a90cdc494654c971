using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TeamPlatform.Deployment.Tests;

/// <summary>
/// A process started from its own Program.cs on exactly the configuration a container of the rendering gets: its
/// appsettings files for the environment the manifests name, and the container's environment. Its background
/// services (migrations, the bus, relays, sweeps) are left out, as there are no servers here; everything it checks at
/// start (every options class validated on start, every setting read while the host is built) still runs.
/// <paramref name="standIns"/> replace what a process would have loaded from its database by then.
/// </summary>
public sealed class ProcessHost<TEntryPoint>(string environment, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? standIns = null)
    : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            foreach (var background in services.Where(s => s.ServiceType == typeof(IHostedService) && !IsHosting(s)).ToList())
            {
                services.Remove(background);
            }

            standIns?.Invoke(services);
        });
    }

    // ASP.NET Core's own web host service starts the server; everything else is the product's or a library's work.
    private static bool IsHosting(ServiceDescriptor service) =>
        service.ImplementationType?.Assembly.GetName().Name?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true;
}

/// <summary>Starts a process by name on a rendering's configuration and reads its probe routes.</summary>
public static class ProcessStart
{
    /// <summary>What the container runs with but has no place in a test: the collector address (logs would be sent to it).</summary>
    private static readonly string[] LeftOut = ["OTEL_EXPORTER_OTLP_ENDPOINT"];

    static ProcessStart()
    {
        // The test process's own settings of the same names would hide a setting the manifests fail to give.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(name => name.Contains("__", StringComparison.Ordinal) && !name.StartsWith("DOTNET_", StringComparison.Ordinal)))
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    public sealed record Answer(int Status, string Body);

    /// <summary>Starts <paramref name="process"/> and asks it each of <paramref name="paths"/> (its probes' routes).</summary>
    public static async Task<Dictionary<string, Answer>> StartAndProbeAsync(Process process, ContainerEnvironment container, IReadOnlyCollection<string> paths)
    {
        var environment = container.Variables.GetValueOrDefault("ASPNETCORE_ENVIRONMENT", "Production");
        var settings = container.Configuration();
        foreach (var name in LeftOut)
        {
            settings.Remove(name);
        }

        return process.Name switch
        {
            Internal.ServiceNames.Gateway => await ProbeAsync(new ProcessHost<Gateway.Edge.GatewayOptions>(environment, settings), paths),
            Internal.ServiceNames.Identity => await ProbeAsync(new ProcessHost<Identity.Infrastructure.OtpOptions>(environment, settings, IdentityKeys), paths),
            Internal.ServiceNames.Permission => await ProbeAsync(new ProcessHost<Permissions.PermissionOptions>(environment, settings), paths),
            Internal.ServiceNames.Invitation => await ProbeAsync(new ProcessHost<Invitations.Infrastructure.InvitationOptions>(environment, settings), paths),
            Internal.ServiceNames.Notification => await ProbeAsync(new ProcessHost<Notifications.Features.Shared.DeliveryOptions>(environment, settings), paths),
            Internal.ServiceNames.Console => await ProbeAsync(new ProcessHost<Console.ConsoleOptions>(environment, settings), paths),
            _ => throw new ArgumentException($"Unknown process {process.Name}.", nameof(process)),
        };
    }

    // Identity's token server signs with keys it reads from its database at start (decision 0101): fresh ones stand in.
    private static void IdentityKeys(IServiceCollection services) => services.AddSingleton(_ =>
    {
        var keys = new Identity.Infrastructure.ServerKeys();
        keys.Load([Identity.Infrastructure.ServerKeys.NewSigningKey(DateTimeOffset.UtcNow), Identity.Infrastructure.ServerKeys.NewEncryptionKey(DateTimeOffset.UtcNow)]);
        return keys;
    });

    private static async Task<Dictionary<string, Answer>> ProbeAsync<TEntryPoint>(ProcessHost<TEntryPoint> host, IReadOnlyCollection<string> paths)
        where TEntryPoint : class
    {
        await using var _ = host;
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        var answers = new Dictionary<string, Answer>();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            answers[path] = new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        return answers;
    }
}
