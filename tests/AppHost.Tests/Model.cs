using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace TeamPlatform.AppHost.Tests;

/// <summary>The AppHost's model on the local servers' settings, nothing started.</summary>
internal static class Model
{
    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync(int? replicas)
    {
        string[] arguments =
        [
            "--Servers:Mode=local",
            "--ConnectionStrings:postgres=Host=127.0.0.1",
            "--ConnectionStrings:rabbitmq=amqp://127.0.0.1",
        ];
        if (replicas is { } count)
        {
            arguments = [.. arguments, .. new[] { "identity", "permission", "invitation", "notification", "console", "gateway" }
                .Select(process => $"--Replicas:{process}={count}")];
        }

        return await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeamPlatform_AppHost>(arguments);
    }

    public static ProjectResource Project(this IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.OfType<ProjectResource>().Single(project => project.Name == name);

    /// <summary>The model built, with a port given to every project's endpoint as the orchestrator would, so that the environment each process gets can be read.</summary>
    public static async Task<AllocatedModel> AllocatedAsync(int replicas)
    {
        var builder = await CreateAsync(replicas);
        var app = await builder.BuildAsync();
        var port = 40000;
        foreach (var endpoint in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>()
                     .SelectMany(project => project.Annotations.OfType<EndpointAnnotation>()))
        {
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port++);
        }

        return new AllocatedModel(builder, app);
    }
}

internal sealed class AllocatedModel(IDistributedApplicationTestingBuilder builder, DistributedApplication app) : IAsyncDisposable
{
    public ProjectResource Project(string name) => builder.Project(name);

    public string UrlOf(string project) =>
        Project(project).Annotations.OfType<EndpointAnnotation>().Single(endpoint => endpoint.Name == "http").AllocatedEndpoint!.UriString;

    public async Task<Dictionary<string, string>> EnvironmentOfAsync(string project)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(Project(project))
            .WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await builder.DisposeAsync();
    }
}
