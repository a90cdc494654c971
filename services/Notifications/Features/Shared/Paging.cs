using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>A page of a list: <c>{items, total, page, pageSize}</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Paging by number, as every list of the service pages: from page 1, 1–200 a page, 50 unless asked.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The 400 for a page or page size out of range; null when both are valid.</summary>
    public static ProblemHttpResult? Refusal(int page, int pageSize) =>
        page < 1 || pageSize is < 1 or > MaxPageSize
            ? ApiProblem.Validation($"'page' starts at 1 and 'pageSize' is 1 to {MaxPageSize}.")
            : null;

    /// <summary>Counts the rows and reads the asked page of them, in the query's order.</summary>
    public static async Task<Paged<T>> ReadAsync<TRow, T>(
        IOrderedQueryable<TRow> rows, int page, int pageSize, Func<TRow, T> present, CancellationToken cancellationToken)
    {
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<T>([.. items.Select(present)], total, page, pageSize);
    }
}
