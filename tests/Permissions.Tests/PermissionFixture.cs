using Xunit;

namespace TeamPlatform.Permissions.Tests;

/// <summary>One service host shared by the tests of a collection: its own database and virtual host; each test its own organisation.</summary>
public sealed class PermissionFixture : IAsyncLifetime
{
    public PermissionHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await PermissionHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(nameof(PermissionCollection))]
public sealed class PermissionCollection : ICollectionFixture<PermissionFixture>;
