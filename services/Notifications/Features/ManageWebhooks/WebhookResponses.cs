using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Features.ManageWebhooks;

public sealed record WebhookResponse(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string Description,
    bool Enabled,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static WebhookResponse Of(WebhookEndpoint endpoint, DateTimeOffset now) => new(
        endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.Description, endpoint.IsEnabled, endpoint.DisabledAt, endpoint.DisabledReason,
        endpoint.PreviousSecretExpiresAt > now ? endpoint.PreviousSecretExpiresAt : null, endpoint.LastSuccessAt, endpoint.CreatedAt, endpoint.UpdatedAt);
}

public sealed record WebhookList(IReadOnlyList<WebhookResponse> Items);

/// <summary>The endpoint as registered, with its signing secret: shown here and at rotation, never again.</summary>
public sealed record RegisteredWebhookResponse(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string Description,
    bool Enabled,
    string Secret,
    DateTimeOffset CreatedAt);

/// <param name="Secret">The new signing secret, shown only here.</param>
/// <param name="PreviousSecretExpiresAt">Until then deliveries carry a signature with the previous secret too.</param>
public sealed record RotatedSecretResponse(Guid Id, string Secret, DateTimeOffset PreviousSecretExpiresAt);

public sealed record EventTypeList(IReadOnlyList<string> Items);
