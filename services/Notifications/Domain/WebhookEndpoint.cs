namespace TeamPlatform.Notifications.Domain;

/// <summary>
/// An organisation's webhook endpoint: where its events go, which ones, and the secrets that sign them. The signing
/// secret is held only protected; after a rotation the previous one keeps signing beside the new one for
/// <see cref="RotationOverlap"/>, so a receiver can switch without losing a delivery. An endpoint that failed for the
/// whole retry schedule of a delivery, with no success since, is disabled until an admin turns it back on.
/// </summary>
public sealed class WebhookEndpoint
{
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 200;

    private WebhookEndpoint()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    public string Url { get; private set; } = "";

    /// <summary>Record names of the events wanted (<see cref="WebhookEventTypes"/>).</summary>
    public List<string> EventTypes { get; private set; } = [];

    public string Description { get; private set; } = "";

    public string ProtectedSecret { get; private set; } = "";

    public string? ProtectedPreviousSecret { get; private set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    public DateTimeOffset? DisabledAt { get; private set; }

    public string? DisabledReason { get; private set; }

    /// <summary>When the admins were told of the disabling; null while they still have to be.</summary>
    public DateTimeOffset? AdminsToldAt { get; private set; }

    public DateTimeOffset? LastSuccessAt { get; private set; }

    public Guid CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsEnabled => DisabledAt is null;

    public static WebhookEndpoint Register(
        Guid orgId, string url, IEnumerable<string> eventTypes, string? description, string protectedSecret, Guid createdBy, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrgId = orgId,
        Url = url,
        EventTypes = [.. eventTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        Description = description?.Trim() ?? "",
        ProtectedSecret = protectedSecret,
        CreatedBy = createdBy,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public bool Wants(string eventType) => EventTypes.Contains(eventType, StringComparer.Ordinal);

    public void Change(string url, IEnumerable<string> eventTypes, string? description, bool enabled, DateTimeOffset now)
    {
        Url = url;
        EventTypes = [.. eventTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Description = description?.Trim() ?? "";
        if (enabled && !IsEnabled)
        {
            DisabledAt = null;
            DisabledReason = null;
            AdminsToldAt = null;
        }
        else if (!enabled && IsEnabled)
        {
            DisabledAt = now;
            DisabledReason = WebhookDisabledReasons.ByAdmin;
            // An admin did it: nobody needs telling.
            AdminsToldAt = now;
        }

        UpdatedAt = now;
    }

    /// <summary>A new secret signs from now on; the one it replaces signs beside it until the overlap ends.</summary>
    public DateTimeOffset Rotate(string protectedSecret, DateTimeOffset now)
    {
        ProtectedPreviousSecret = ProtectedSecret;
        PreviousSecretExpiresAt = now + RotationOverlap;
        ProtectedSecret = protectedSecret;
        UpdatedAt = now;
        return PreviousSecretExpiresAt.Value;
    }

    /// <summary>The secrets that sign a delivery at <paramref name="now"/>, the newest first.</summary>
    public IEnumerable<string> SigningSecrets(DateTimeOffset now)
    {
        yield return ProtectedSecret;
        if (ProtectedPreviousSecret is not null && PreviousSecretExpiresAt > now)
        {
            yield return ProtectedPreviousSecret;
        }
    }

    /// <summary>
    /// How far <see cref="LastSuccessAt"/> may trail the latest success. A busy endpoint succeeds many times a second, and
    /// writing its row for each success would queue every delivery to it behind one row lock.
    /// </summary>
    public static readonly TimeSpan LastSuccessPrecision = TimeSpan.FromSeconds(1);

    public void Succeeded(DateTimeOffset now)
    {
        if (LastSuccessAt is null || LastSuccessAt <= now - LastSuccessPrecision)
        {
            LastSuccessAt = now;
        }
    }

    /// <summary>
    /// A delivery created at <paramref name="since"/> used up its retries. Unless something reached the endpoint since,
    /// the endpoint is failing persistently: it is disabled, and the admins are to be told.
    /// </summary>
    /// <returns>Whether this disabled the endpoint.</returns>
    public bool GaveUpOn(DateTimeOffset since, DateTimeOffset now)
    {
        if (!IsEnabled || LastSuccessAt >= since)
        {
            return false;
        }

        DisabledAt = now;
        DisabledReason = WebhookDisabledReasons.PersistentFailure;
        AdminsToldAt = null;
        UpdatedAt = now;
        return true;
    }

    public void AdminsTold(DateTimeOffset now) => AdminsToldAt = now;
}

public static class WebhookDisabledReasons
{
    /// <summary>Every attempt of a delivery failed for about a day, and nothing reached the endpoint meanwhile.</summary>
    public const string PersistentFailure = "persistent_failure";

    /// <summary>An admin turned it off.</summary>
    public const string ByAdmin = "disabled_by_admin";
}
