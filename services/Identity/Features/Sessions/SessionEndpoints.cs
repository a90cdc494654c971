using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Identity.Features.Sessions;

/// <param name="Current">Whether this is the session of the token making the request.</param>
public sealed record SessionView(Guid Id, string? Client, DateTimeOffset CreatedAt, DateTimeOffset LastRefreshedAt, bool Current);

public sealed record SessionPage(IReadOnlyList<SessionView> Items, int Total, int Page, int PageSize);

/// <summary>A member's own logins: list them, end any of them.</summary>
internal static class SessionEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static async Task<Results<Ok<SessionPage>, ProblemHttpResult>> ListAsync(
        HttpContext http, IdentityDbContext db, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (page is < 1 || pageSize is < 1 or > MaxPageSize)
        {
            return ApiProblem.Validation($"page starts at 1; pageSize is between 1 and {MaxPageSize}.");
        }

        var (number, size) = (page ?? 1, pageSize ?? DefaultPageSize);
        var memberId = http.User.MemberId();
        var current = http.User.SessionId();
        var active = db.Sessions.AsNoTracking().Where(s => s.MemberId == memberId && s.EndedAt == null);
        var total = await active.CountAsync(cancellationToken);
        var sessions = await active.OrderByDescending(s => s.LastRefreshedAt).ThenBy(s => s.Id)
            .Skip((number - 1) * size).Take(size)
            .ToListAsync(cancellationToken);
        var items = sessions
            .Select(s => new SessionView(s.Id, s.Client, s.CreatedAt, s.LastRefreshedAt, s.Id.ToString() == current))
            .ToList();
        return TypedResults.Ok(new SessionPage(items, total, number, size));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> EndAsync(
        Guid sid, HttpContext http, IdentityDbContext db, SessionRevoker revoker, CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sid && s.MemberId == memberId && s.EndedAt == null, cancellationToken);
        if (session is null)
        {
            return ApiProblem.NotFound("The session");
        }

        await revoker.EndAsync(session, SessionEndReasons.SignedOut, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
