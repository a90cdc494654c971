using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>
/// A member as the API shows it everywhere, plus <c>access</c>: the stored access document (the underlying preset
/// while the admin toggle is on), which a client sends back to turn the toggle off without losing the set.
/// </summary>
public sealed record MemberView(
    Guid Id,
    string Username,
    string Phone,
    string Status,
    string Role,
    bool IsAdmin,
    IReadOnlyList<Guid> GroupIds,
    DateTimeOffset CreatedAt,
    AccessDocument Access,
    DateTimeOffset? AccessExpiresAt)
{
    public static MemberView From(Member member) => new(
        member.Id,
        member.Username,
        member.Phone,
        MemberStatusNames.NameOf(member.Status),
        member.Role,
        member.IsAdmin,
        member.Access.StaffGroups?.Order().ToList() ?? [],
        member.CreatedAt,
        AccessDocument.Of(member.Access, member.Lapse),
        member.AccessExpiresAt);
}

/// <summary>
/// A page of a list: <c>{items, total, page, pageSize, totalIsLowerBound, after}</c>. <c>after</c> is the cursor of the
/// next page (null on the last, and on lists that page only by number); <c>totalIsLowerBound</c> says that
/// <c>total</c> stopped counting (a search counts its first 1,000 matches).
/// </summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public bool TotalIsLowerBound { get; init; }

    public string? After { get; init; }
}

public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Page from 1, size 1–200 (default 50); null error when valid.</summary>
    public static string? Validate(int? page, int? pageSize, out int validPage, out int validPageSize)
    {
        validPage = page ?? 1;
        validPageSize = pageSize ?? DefaultPageSize;
        if (validPage < 1)
        {
            return "page starts at 1.";
        }

        return validPageSize is < 1 or > MaxPageSize ? $"pageSize is 1 to {MaxPageSize}." : null;
    }
}
