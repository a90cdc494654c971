using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Notifications.Features.DeliveryLog;

/// <summary>
/// <c>GET /api/notifications?to=&amp;type=&amp;status=&amp;page=&amp;pageSize=</c>: the actor's organisation's delivery
/// log, for members with <c>admin_settings</c>. Bodies never hold codes or links; recipients are masked for
/// everyone but the organisation's admins.
/// </summary>
public static class DeliveryLogEndpoint
{
    public sealed record Entry(
        Guid Id,
        string To,
        string Channel,
        string Provider,
        string? ProviderMessageId,
        string Template,
        string Language,
        string Status,
        int Attempts,
        string? LastError,
        string Body,
        IReadOnlyDictionary<string, string> Variables,
        Guid? FallbackOf,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        DateTimeOffset? SentAt,
        DateTimeOffset? DeliveredAt,
        DateTimeOffset? ReadAt,
        DateTimeOffset? FailedAt);

    public static async Task<Results<Ok<Paged<Entry>>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionClient permissions,
        NotificationDbContext db,
        CancellationToken cancellationToken,
        string? to = null,
        string? type = null,
        string? status = null,
        int page = 1,
        int pageSize = Paging.DefaultPageSize)
    {
        if (user.OrgId() is not { } orgId || user.MemberId() is not { } memberId)
        {
            return ApiProblem.Forbidden("The delivery log is for members of an organisation.");
        }

        if (Paging.Refusal(page, pageSize) is { } refusal)
        {
            return refusal;
        }

        if (type is not null && !TemplateNames.All.Contains(type))
        {
            return ApiProblem.Validation($"'type' is one of {string.Join(", ", TemplateNames.All)}.");
        }

        DeliveryStatus? statusFilter = null;
        if (status is not null)
        {
            if (!DeliveryStatuses.TryParse(status, out var parsed))
            {
                return ApiProblem.Validation($"'status' is one of {string.Join(", ", DeliveryStatuses.All)}.");
            }

            statusFilter = parsed;
        }

        var recipient = "";
        if (to is not null && !RecipientQuery.TryParse(to, out recipient))
        {
            return ApiProblem.Of(ErrorCodes.InvalidPhone, "'to' must be a phone number in E.164 or an email address.");
        }

        var answer = await permissions.CheckAsync(orgId, memberId, PermissionClient.AdminSettings, cancellationToken);
        if (answer is not { Allowed: true })
        {
            return ApiProblem.Forbidden("The delivery log needs admin_settings.");
        }

        var query = db.Notifications.AsNoTracking().Where(n => n.OrgId == orgId);
        if (to is not null)
        {
            query = query.Where(n => n.Recipient == recipient);
        }

        if (type is not null)
        {
            query = query.Where(n => n.Template == type);
        }

        if (statusFilter is { } wanted)
        {
            query = query.Where(n => n.Status == wanted);
        }

        var entries = await Paging.ReadAsync(
            query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id),
            page,
            pageSize,
            n => new Entry(
                n.Id,
                answer.IsAdmin ? n.Recipient : DeliveryQueue.Mask(n.Recipient),
                n.Channel, n.Provider, n.ProviderMessageId, n.Template, n.Language, DeliveryStatuses.NameOf(n.Status), n.Attempts, n.LastError,
                n.Body, n.Variables, n.FallbackOf, n.CreatedAt, n.UpdatedAt, n.SentAt, n.DeliveredAt, n.ReadAt, n.FailedAt),
            cancellationToken);
        return TypedResults.Ok(entries);
    }
}
