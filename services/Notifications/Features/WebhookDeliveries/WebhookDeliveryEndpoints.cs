using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Notifications.Features.WebhookDeliveries;

/// <summary>
/// <c>/api/webhooks/{id}/deliveries</c> and <c>/replay</c>: an endpoint's delivery log (status, attempts, the last
/// response's status and latency, the payload while it is kept) and replays of one delivery or of everything since an
/// instant, within the 7 days payloads are kept.
/// </summary>
public static class WebhookDeliveryEndpoints
{
    /// <param name="MessageId">The <c>webhook-id</c> header: the same on every attempt and replay.</param>
    /// <param name="Payload">The body sent; null once past the 7 days payloads are kept.</param>
    public sealed record Delivery(
        Guid Id,
        string MessageId,
        string EventType,
        Guid EventId,
        string Status,
        int Attempts,
        int? LastResponseStatus,
        int? LastLatencyMs,
        string? LastError,
        DateTimeOffset? LastAttemptAt,
        DateTimeOffset? NextAttemptAt,
        DateTimeOffset CreatedAt,
        DateTimeOffset? SucceededAt,
        DateTimeOffset? ReplayedAt,
        JsonElement? Payload);

    /// <param name="Since">Every delivery created at or after this instant (within the last 7 days) is sent again.</param>
    public sealed record ReplaySinceRequest(DateTimeOffset? Since);

    public sealed record ReplayAnswer(int Replayed);

    public static async Task<Results<Ok<Paged<Delivery>>, ProblemHttpResult>> ListAsync(
        Guid id,
        ClaimsPrincipal user,
        NotificationDbContext db,
        CancellationToken cancellationToken,
        string? status = null,
        int page = 1,
        int pageSize = Paging.DefaultPageSize)
    {
        if (Paging.Refusal(page, pageSize) is { } refusal)
        {
            return refusal;
        }

        WebhookDeliveryStatus? wanted = null;
        if (status is not null)
        {
            if (!WebhookDeliveryStatuses.TryParse(status, out var parsed))
            {
                return ApiProblem.Validation($"'status' is one of {string.Join(", ", WebhookDeliveryStatuses.All)}.");
            }

            wanted = parsed;
        }

        var admin = WebhookAdmins.Of(user);

        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id && e.OrgId == admin.OrgId, cancellationToken))
        {
            return ApiProblem.NotFound("The webhook");
        }

        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id);
        if (wanted is { } only)
        {
            query = query.Where(d => d.Status == only);
        }

        var deliveries = await Paging.ReadAsync(
            query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id), page, pageSize, Of, cancellationToken);
        return TypedResults.Ok(deliveries);
    }

    public static async Task<Results<Ok<Delivery>, ProblemHttpResult>> GetAsync(
        Guid id, Guid deliveryId, ClaimsPrincipal user, NotificationDbContext db, CancellationToken cancellationToken)
    {
        var admin = WebhookAdmins.Of(user);

        var delivery = await db.WebhookDeliveries.AsNoTracking()
            .SingleOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id && d.OrgId == admin.OrgId, cancellationToken);
        return delivery is null ? ApiProblem.NotFound("The delivery") : TypedResults.Ok(Of(delivery));
    }

    public static async Task<Results<Accepted<Delivery>, ProblemHttpResult>> ReplayOneAsync(
        Guid id,
        Guid deliveryId,
        ClaimsPrincipal user,
        NotificationDbContext db,
        WebhookSignal signal,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var admin = WebhookAdmins.Of(user);

        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.OrgId == admin.OrgId, cancellationToken);
        var delivery = endpoint is null ? null : await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id, cancellationToken);
        if (endpoint is null || delivery is null)
        {
            return ApiProblem.NotFound("The delivery");
        }

        if (ReplayRefusal(endpoint) is { } refused)
        {
            return refused;
        }

        if (!delivery.CanReplay)
        {
            return ApiProblem.Of(ErrorCodes.ReplayUnavailable, "Its payload is past the 7 days deliveries are kept: it cannot be sent again.");
        }

        delivery.Replay(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries/{deliveryId}", Of(delivery));
    }

    public static async Task<Results<Accepted<ReplayAnswer>, ProblemHttpResult>> ReplaySinceAsync(
        Guid id,
        ReplaySinceRequest request,
        ClaimsPrincipal user,
        NotificationDbContext db,
        WebhookSignal signal,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (request.Since is not { } since || since > now || since < now - WebhookDelivery.PayloadRetention)
        {
            return ApiProblem.Validation("'since' is an instant within the last 7 days, such as 2026-01-31T08:00:00Z.");
        }

        var admin = WebhookAdmins.Of(user);

        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.OrgId == admin.OrgId, cancellationToken);
        if (endpoint is null)
        {
            return ApiProblem.NotFound("The webhook");
        }

        if (ReplayRefusal(endpoint) is { } refused)
        {
            return refused;
        }

        // Oldest first, so that a receiver that applies them in order sees them as they happened.
        var deliveries = await db.WebhookDeliveries
            .Where(d => d.EndpointId == id && d.CreatedAt >= since && d.Payload != null && d.Status != WebhookDeliveryStatus.Pending)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)
            .ToListAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            delivery.Replay(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries", new ReplayAnswer(deliveries.Count));
    }

    private static ProblemHttpResult? ReplayRefusal(WebhookEndpoint endpoint) =>
        endpoint.IsEnabled ? null : ApiProblem.Of(ErrorCodes.ReplayUnavailable, "The endpoint is turned off: turn it back on, then replay.");

    private static Delivery Of(WebhookDelivery d) => new(
        d.Id, d.MessageId, d.EventType, d.EventId, WebhookDeliveryStatuses.NameOf(d.Status), d.Attempts, d.LastResponseStatus, d.LastLatencyMs,
        d.LastError, d.LastAttemptAt, d.NextAttemptAt, d.CreatedAt, d.SucceededAt, d.ReplayedAt,
        d.Payload is null ? null : JsonDocument.Parse(d.Payload).RootElement.Clone());
}
