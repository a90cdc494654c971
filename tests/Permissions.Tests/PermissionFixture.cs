using Xunit;

namespace TeamPlatform.Permissions.Tests;

/// <summary>One service host per test class: its own database and virtual host.</summary>
public sealed class PermissionFixture : IAsyncLifetime
{
    public PermissionHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await PermissionHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
