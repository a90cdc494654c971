using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Notifications.Features.ManageWebhooks;

/// <summary>
/// <c>/api/webhooks</c>: an organisation's admins register, list, change, delete and rotate the secrets of the
/// endpoints its events go to (docs/webhooks.md).
/// </summary>
public static class ManageWebhooksEndpoints
{
    public static Ok<EventTypeList> EventTypes() => TypedResults.Ok(new EventTypeList(WebhookEventTypes.Names));

    public static async Task<Results<Ok<WebhookList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, NotificationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var admin = WebhookAdmins.Of(user);

        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.OrgId == admin.OrgId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new WebhookList([.. endpoints.Select(e => WebhookResponse.Of(e, now))]));
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, NotificationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var admin = WebhookAdmins.Of(user);

        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.OrgId == admin.OrgId, cancellationToken);
        return endpoint is null ? ApiProblem.NotFound("The webhook") : TypedResults.Ok(WebhookResponse.Of(endpoint, time.GetUtcNow()));
    }

    public static async Task<Results<Created<RegisteredWebhookResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterWebhookRequest request,
        ClaimsPrincipal user,
        NotificationDbContext db,
        WebhookSecrets secrets,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var admin = WebhookAdmins.Of(user);

        if (RefuseTarget(request.Url, options.Value, out var target) is { } refusal)
        {
            return refusal;
        }

        // A lock on the organisation serialises its registrations, so two at once cannot both pass the limit.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({admin.OrgId.ToString()}, 0))", cancellationToken);
        var count = await db.WebhookEndpoints.CountAsync(e => e.OrgId == admin.OrgId, cancellationToken);
        if (count >= options.Value.MaxEndpointsPerOrganisation)
        {
            return ApiProblem.Of(ErrorCodes.WebhookLimitReached,
                $"An organisation has at most {options.Value.MaxEndpointsPerOrganisation} webhook endpoints; delete one first.");
        }

        var (secret, protectedSecret) = secrets.Generate();
        var now = time.GetUtcNow();
        var endpoint = WebhookEndpoint.Register(admin.OrgId, target.AbsoluteUri, request.EventTypes!, request.Description, protectedSecret, admin.MemberId, now);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created(
            $"/api/webhooks/{endpoint.Id}",
            new RegisteredWebhookResponse(endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.Description, endpoint.IsEnabled, secret, endpoint.CreatedAt));
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> ChangeAsync(
        Guid id,
        ChangeWebhookRequest request,
        ClaimsPrincipal user,
        NotificationDbContext db,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var admin = WebhookAdmins.Of(user);

        if (RefuseTarget(request.Url, options.Value, out var target) is { } refusal)
        {
            return refusal;
        }

        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id && e.OrgId == admin.OrgId, cancellationToken);
        if (endpoint is null)
        {
            return ApiProblem.NotFound("The webhook");
        }

        var now = time.GetUtcNow();
        endpoint.Change(target.AbsoluteUri, request.EventTypes!, request.Description, request.Enabled ?? endpoint.IsEnabled, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WebhookResponse.Of(endpoint, now));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, NotificationDbContext db, CancellationToken cancellationToken)
    {
        var admin = WebhookAdmins.Of(user);

        // Its deliveries go with it (cascade): a deleted endpoint leaves nothing to replay.
        var deleted = await db.WebhookEndpoints.Where(e => e.Id == id && e.OrgId == admin.OrgId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? ApiProblem.NotFound("The webhook") : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<RotatedSecretResponse>, ProblemHttpResult>> RotateAsync(
        Guid id,
        ClaimsPrincipal user,
        NotificationDbContext db,
        WebhookSecrets secrets,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var admin = WebhookAdmins.Of(user);

        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id && e.OrgId == admin.OrgId, cancellationToken);
        if (endpoint is null)
        {
            return ApiProblem.NotFound("The webhook");
        }

        var (secret, protectedSecret) = secrets.Generate();
        var previousExpiresAt = endpoint.Rotate(protectedSecret, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new RotatedSecretResponse(endpoint.Id, secret, previousExpiresAt));
    }

    private static ProblemHttpResult? RefuseTarget(string? url, WebhookOptions options, out Uri target) =>
        WebhookTargets.TryAccept(url, options.LocalTargetsAllowed, out target, out var why)
            ? null
            : ApiProblem.Of(ErrorCodes.WebhookTargetRefused, why);
}
