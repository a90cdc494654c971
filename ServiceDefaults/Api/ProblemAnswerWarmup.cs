using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>
/// Writes one problem answer of each shape, to nowhere, while the process starts. The first one a process writes builds
/// the serializer's metadata for it: about 45 ms of a 65 ms first <c>503</c> on an idle machine, many times that on a
/// busy one, and it comes at the worst moment, when a service has just gone down (docs/reliability.md).
/// </summary>
internal sealed class ProblemAnswerWarmup(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await ApiProblem.WriteServiceUnavailableAsync(Nowhere(scope.ServiceProvider), "warm-up");
        await ApiProblem.Validation(new Dictionary<string, string[]> { ["field"] = ["warm-up"] }).ExecuteAsync(Nowhere(scope.ServiceProvider));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static DefaultHttpContext Nowhere(IServiceProvider services) => new()
    {
        RequestServices = services,
        Response = { Body = Stream.Null },
    };
}
