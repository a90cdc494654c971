using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// Registers the service clients of <c>Identity:Clients</c> (and the scopes they use) at start, updating any
/// that changed, so configuration is the one place where service credentials are managed.
/// </summary>
internal sealed class ServiceClientRegistration(IServiceScopeFactory scopes, IOptions<List<ServiceClientOptions>> clients) : IHostedLifecycleService
{
    public const string PermissionsCheckScope = "permissions.check";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var scopeManager = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        if (await scopeManager.FindByNameAsync(PermissionsCheckScope, cancellationToken) is null)
        {
            await scopeManager.CreateAsync(
                new OpenIddictScopeDescriptor
                {
                    Name = PermissionsCheckScope,
                    DisplayName = "Ask the permission service what members may do",
                },
                cancellationToken);
        }

        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var client in clients.Value)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = client.ClientId,
                ClientSecret = client.ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = client.DisplayName ?? client.ClientId,
                Permissions = { Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.GrantTypes.ClientCredentials },
            };
            foreach (var scopeName in client.Scopes)
            {
                descriptor.Permissions.Add(Permissions.Prefixes.Scope + scopeName);
            }

            if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
