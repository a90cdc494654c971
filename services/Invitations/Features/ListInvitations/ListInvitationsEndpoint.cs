using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Invitations.Features.ListInvitations;

/// <summary><c>GET /api/invitations?status=&amp;page=&amp;pageSize=</c>: the organisation's invitations, newest first.</summary>
public static class ListInvitationsEndpoint
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static async Task<Results<Ok<Paged<InvitationResponse>>, ProblemHttpResult>> HandleAsync(
        string? status,
        int? page,
        int? pageSize,
        ClaimsPrincipal user,
        InvitationDbContext db,
        InvitationViews views,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        InvitationStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<InvitationStatus>(status, ignoreCase: true, out var parsed) || !status.All(char.IsAsciiLetterLower))
            {
                return ApiProblem.Validation("status must be one of pending, expired, accepted, revoked.");
            }

            wanted = parsed;
        }

        var number = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (number < 1 || size is < 1 or > MaxPageSize)
        {
            return ApiProblem.Validation($"page starts at 1; pageSize is between 1 and {MaxPageSize}.");
        }

        var orgId = user.Actor()!.Value.OrgId;
        var query = db.Invitations.AsNoTracking().Where(i => i.OrgId == orgId);
        if (wanted is { } filter)
        {
            query = query.Where(HasStatus(filter, time.GetUtcNow()));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(i => i.CreatedAt)
            .ThenByDescending(i => i.Id)
            .Skip((number - 1) * size)
            .Take(size)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<InvitationResponse>(items.Select(views.Present).ToList(), total, number, size));
    }

    /// <summary><see cref="Invitation.StatusAt"/>, as a query the database answers.</summary>
    internal static Expression<Func<Invitation, bool>> HasStatus(InvitationStatus status, DateTimeOffset now) => status switch
    {
        InvitationStatus.Accepted => i => i.AcceptedAt != null,
        InvitationStatus.Revoked => i => i.RevokedAt != null,
        InvitationStatus.Expired => i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt <= now,
        _ => i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now,
    };
}
