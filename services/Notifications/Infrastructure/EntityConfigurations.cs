using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using TeamPlatform.Notifications.Channels.Development;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Infrastructure;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> entry)
    {
        entry.ToTable("notifications");
        entry.HasKey(n => n.Id);
        entry.Property(n => n.Id).ValueGeneratedNever();
        entry.Property(n => n.Template).HasMaxLength(40);
        entry.Property(n => n.Language).HasMaxLength(20);
        entry.Property(n => n.Channel).HasMaxLength(20);
        entry.Property(n => n.Provider).HasMaxLength(40);
        entry.Property(n => n.Recipient).HasMaxLength(320);
        entry.Property(n => n.ProviderMessageId).HasMaxLength(200);
        entry.Property(n => n.Status).HasConversion(StatusConverter).HasMaxLength(20);
        entry.Property(n => n.LastError).HasMaxLength(500);
        entry.Property(n => n.Variables).HasJsonDictionary();

        // A redelivered command or event finds its entries: nothing is sent twice.
        entry.HasIndex(n => new { n.SourceMessageId, n.Channel, n.Recipient }).IsUnique();
        // Status callbacks name the provider's message id.
        entry.HasIndex(n => new { n.Provider, n.ProviderMessageId });
        // The worker's due attempts and overdue receipts.
        entry.HasIndex(n => n.NextAttemptAt).HasFilter("status = 'queued'");
        entry.HasIndex(n => n.FallbackAt).HasFilter("fallback_at IS NOT NULL");
        entry.HasIndex(n => n.ReceiptDeadline).HasFilter("receipt_deadline IS NOT NULL");
        // The log's API: an organisation's entries, newest first, optionally for one recipient.
        entry.HasIndex(n => new { n.OrgId, n.CreatedAt });
        entry.HasIndex(n => new { n.OrgId, n.Recipient });
    }

    // The column keeps the wire names: the worker's SQL and the index filter above say 'queued'.
    private static readonly ValueConverter<DeliveryStatus, string> StatusConverter = new(
        status => DeliveryStatuses.NameOf(status),
        name => DeliveryStatuses.Parse(name));
}

internal sealed class DevMessageConfiguration : IEntityTypeConfiguration<DevMessage>
{
    public void Configure(EntityTypeBuilder<DevMessage> message)
    {
        message.ToTable("dev_messages");
        message.HasKey(m => m.Sequence);
        message.Property(m => m.Sequence).UseIdentityAlwaysColumn();
        message.HasIndex(m => m.Id).IsUnique();
        message.HasIndex(m => new { m.To, m.Sequence });
        message.Property(m => m.To).HasMaxLength(320);
        message.Property(m => m.Channel).HasMaxLength(20);
        message.Property(m => m.Template).HasMaxLength(40);
        message.Property(m => m.Variables).HasJsonDictionary();
    }
}

internal sealed class OrganisationProfileConfiguration : IEntityTypeConfiguration<OrganisationProfile>
{
    public void Configure(EntityTypeBuilder<OrganisationProfile> organisation)
    {
        organisation.ToTable("organisations");
        organisation.HasKey(o => o.OrgId);
        organisation.Property(o => o.OrgId).ValueGeneratedNever();
        organisation.Property(o => o.Name).HasMaxLength(200);
        organisation.Property(o => o.Language).HasMaxLength(20);
    }
}

internal sealed class MemberContactConfiguration : IEntityTypeConfiguration<MemberContact>
{
    public void Configure(EntityTypeBuilder<MemberContact> member)
    {
        member.ToTable("members");
        member.HasKey(m => m.MemberId);
        member.Property(m => m.MemberId).ValueGeneratedNever();
        member.Property(m => m.Phone).HasMaxLength(20);
        member.Property(m => m.Username).HasMaxLength(100);
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.ToTable("webhook_endpoints");
        endpoint.HasKey(e => e.Id);
        endpoint.Property(e => e.Id).ValueGeneratedNever();
        endpoint.Property(e => e.Url).HasMaxLength(WebhookEndpoint.MaxUrlLength);
        endpoint.Property(e => e.Description).HasMaxLength(WebhookEndpoint.MaxDescriptionLength);
        endpoint.Property(e => e.EventTypes).HasColumnType("text[]");
        endpoint.Property(e => e.DisabledReason).HasMaxLength(40);
        endpoint.HasIndex(e => e.OrgId);
        // The worker's search for disablings the admins have not heard of yet.
        endpoint.HasIndex(e => e.DisabledAt).HasFilter("disabled_at IS NOT NULL AND admins_told_at IS NULL");
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("webhook_deliveries");
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.Id).ValueGeneratedNever();
        delivery.Ignore(d => d.MessageId);
        delivery.Ignore(d => d.CanReplay);
        delivery.Property(d => d.EventType).HasMaxLength(100);
        delivery.Property(d => d.Status).HasConversion(StatusConverter).HasMaxLength(20);
        delivery.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxErrorLength);
        delivery.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // A redelivered event finds its deliveries: an endpoint gets each event once.
        delivery.HasIndex(d => new { d.EndpointId, d.EventId }).IsUnique();
        // The worker's due attempts, in the order it takes them: the lease stops at the first row it can lock.
        delivery.HasIndex(d => new { d.NextAttemptAt, d.CreatedAt, d.Id }).HasFilter("status = 'pending'");
        // An endpoint's log, newest first; replays since an instant; the retention sweep.
        delivery.HasIndex(d => new { d.EndpointId, d.CreatedAt });
        delivery.HasIndex(d => d.CreatedAt);
    }

    private static readonly ValueConverter<WebhookDeliveryStatus, string> StatusConverter = new(
        status => WebhookDeliveryStatuses.NameOf(status),
        name => Parse(name));

    private static WebhookDeliveryStatus Parse(string name) =>
        WebhookDeliveryStatuses.TryParse(name, out var status) ? status : throw new InvalidOperationException($"Unknown webhook delivery status '{name}'.");
}

internal static class JsonDictionaryMapping
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PropertyBuilder<Dictionary<string, string>> HasJsonDictionary(this PropertyBuilder<Dictionary<string, string>> property) =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                value => JsonSerializer.Serialize(value, Json),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? new Dictionary<string, string>(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a != null && b != null && a.Count == b.Count && !a.Except(b).Any(),
                    value => value.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
                    value => new Dictionary<string, string>(value)));
}
