using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Channels.Development;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Infrastructure;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string ConnectionName = "notificationdb";

    /// <summary>The delivery log.</summary>
    public DbSet<Notification> Notifications => Set<Notification>();

    /// <summary>The development channel's own store, apart from the log.</summary>
    public DbSet<DevMessage> DevMessages => Set<DevMessage>();

    public DbSet<OrganisationProfile> Organisations => Set<OrganisationProfile>();

    public DbSet<MemberContact> Members => Set<MemberContact>();

    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();

    /// <summary>Each event for each endpoint, with its attempts: the webhook delivery log.</summary>
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>The key ring that protects secrets of messages still being attempted, shared by every replica.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Reads a webhook endpoint and holds it against deletion until the current transaction ends; null when it is gone (a
    /// deletion under way is waited for). An <paramref name="exclusive"/> hold (a failure, which may turn the endpoint off)
    /// waits for every other hold and keeps new ones out, so it reads every success recorded before it; shared holds
    /// (successes) do not wait for each other. The caller must not be tracking the endpoint: a tracked one is not read
    /// afresh.
    /// </summary>
    public Task<WebhookEndpoint?> LockWebhookEndpointAsync(Guid id, bool exclusive, CancellationToken cancellationToken) =>
        WebhookEndpoints
            .FromSql(exclusive
                ? (FormattableString)$"SELECT * FROM webhook_endpoints WHERE id = {id} FOR UPDATE"
                : $"SELECT * FROM webhook_endpoints WHERE id = {id} FOR KEY SHARE")
            .SingleOrDefaultAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NotificationDbContext).Assembly);
    }
}
