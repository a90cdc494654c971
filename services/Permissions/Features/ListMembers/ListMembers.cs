using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.ListMembers;

/// <summary>
/// <c>GET /api/members?status=&amp;role=&amp;groupId=&amp;q=&amp;page=&amp;pageSize=&amp;after=</c> — the team list
/// (docs/product.md#team-management). Removed members are listed only when asked for (<c>status=removed</c>).
/// Without <c>q</c> members come in the order they joined. <c>q</c> finds members by the beginnings of the words of their
/// username, or of their phone (docs/decisions/0208-member-search-by-word-prefixes.md): exact matches first, then by
/// username; <c>total</c> counts the first 1,000 matches. <c>after</c>, the cursor each page answers, pages on. A group
/// admin lists the members of their groups and every pending member (docs/permissions.md#group-admins).
/// </summary>
public static class ListMembersEndpoint
{
    public const int MaxQueryLength = 100;

    /// <summary>A search counts this many matches and then says "at least"; <c>page</c> reaches this far.</summary>
    public const int CountedMatches = 1_000;

    public static async Task<Results<Ok<Paged<MemberView>>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionDbContext db,
        [FromQuery] string? status,
        [FromQuery] string? role,
        [FromQuery] Guid? groupId,
        [FromQuery] string? q,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        [FromQuery] string? after,
        CancellationToken cancellationToken)
    {
        if (Paging.Validate(page, pageSize, out var validPage, out var validPageSize) is { } pagingError)
        {
            return ApiProblem.Validation(pagingError);
        }

        MemberStatus? wantedStatus = null;
        if (status is not null)
        {
            if (!MemberStatusNames.TryParse(status, out var parsed))
            {
                return ApiProblem.Validation("status must be pending_approval, active, blocked or removed.");
            }

            wantedStatus = parsed;
        }

        if (role is not null && !Roles.All.Contains(role))
        {
            return ApiProblem.Validation($"role must be one of {string.Join(", ", Roles.All)}.");
        }

        if (q is { Length: > MaxQueryLength })
        {
            return ApiProblem.Validation($"q is at most {MaxQueryLength} characters.");
        }

        var search = MemberSearch.Parse(q);
        MemberListCursor? cursor = null;
        if (after is not null)
        {
            if (page is not null)
            {
                return ApiProblem.Validation("Give page or after, not both: after continues from the page that answered it.");
            }

            cursor = MemberListCursor.Read(after, search is not null);
            if (cursor is null)
            {
                return ApiProblem.Validation("after is not a cursor of this list: pass the after of the previous page, with the same q.");
            }
        }
        else if (search is not null && (validPage - 1) * validPageSize >= CountedMatches)
        {
            return ApiProblem.Validation(
                $"page reaches only the first {CountedMatches:N0} matches of a search: page on with after, the cursor each page answers.");
        }

        if (await db.MemberManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotMemberManager);
        }

        var scoped = TeamPolicy.VisibleGroups(actor) is not null;
        var members = db.Members.AsNoTracking().Where(m => m.OrgId == actor.OrgId).VisibleTo(actor);
        members = wantedStatus is { } only
            ? members.Where(m => m.Status == only)
            : members.Where(m => m.Status != MemberStatus.Removed);
        if (role is not null)
        {
            members = members.Where(m => m.Role == role);
        }

        if (groupId is { } group)
        {
            members = members.Where(m => m.GroupIds.Contains(group));
        }

        var pageNumber = cursor?.Page ?? validPage;
        var answer = search is null
            ? await ByJoinDateAsync(db, actor.OrgId, members, wantedStatus, filtered: scoped || role is not null || groupId is not null, pageNumber, validPageSize, cursor, cancellationToken)
            : await BySearchAsync(db, actor.OrgId, members, wantedStatus, filtered: scoped || role is not null || groupId is not null, search, pageNumber, validPageSize, cursor, cancellationToken);
        return TypedResults.Ok(answer);
    }

    private static async Task<Paged<MemberView>> ByJoinDateAsync(
        PermissionDbContext db,
        Guid orgId,
        IQueryable<Member> members,
        MemberStatus? status,
        bool filtered,
        int page,
        int pageSize,
        MemberListCursor? cursor,
        CancellationToken cancellationToken)
    {
        var ordered = members;
        if (cursor is { JoinedAt: { } joinedAt })
        {
            ordered = ordered.Where(m => EF.Functions.GreaterThan(ValueTuple.Create(m.CreatedAt, m.Id), ValueTuple.Create(joinedAt, cursor.Id)));
        }

        var rows = await ordered
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Skip(cursor is null ? (page - 1) * pageSize : 0)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var items = rows.Take(pageSize).ToList();
        var more = rows.Count > pageSize;
        // A page that is not full ends the list, so it tells the total (a search for one person reads its matches once).
        // Otherwise, without a filter, the organisation's counters say how many there are: no count over every member.
        var endsTheList = cursor is null && !more && (items.Count > 0 || page == 1);
        var total = endsTheList
            ? (page - 1) * pageSize + items.Count
            : filtered
                ? await members.CountAsync(cancellationToken)
                : await CountByStatusAsync(db, orgId, status, cancellationToken);
        return new Paged<MemberView>(items.Select(MemberView.From).ToList(), total, page, pageSize)
        {
            After = more ? new MemberListCursor(page + 1, items[^1].Id, JoinedAt: items[^1].CreatedAt).Write() : null,
        };
    }

    /// <summary>
    /// A search reads one term's rows of the search index in username order (the term with the fewest rows, checking
    /// the others member by member), so a page costs its own rows whatever the number of matches. Members whose
    /// folded username is the whole search come first.
    /// </summary>
    private static async Task<Paged<MemberView>> BySearchAsync(
        PermissionDbContext db,
        Guid orgId,
        IQueryable<Member> members,
        MemberStatus? status,
        bool filtered,
        SearchQuery search,
        int page,
        int pageSize,
        MemberListCursor? cursor,
        CancellationToken cancellationToken)
    {
        if (search.Terms.Count == 0)
        {
            return new Paged<MemberView>([], 0, page, pageSize);
        }

        var terms = db.MemberSearchTerms.AsNoTracking().Where(t => t.OrgId == orgId && t.Kind == search.Kind);
        terms = status is { } only ? terms.Where(t => t.Status == only) : terms.Where(t => t.Status != MemberStatus.Removed);
        IQueryable<MemberSearchTerm> rows;
        if (search.Kind == SearchTermKind.Phone)
        {
            // The digits that start with these: a range of the index however the plan is cached ("0719" up to "071:").
            var from = search.Terms[0];
            var to = from[..^1] + (char)(from[^1] + 1);
            rows = terms.Where(t => t.Term.CompareTo(from) >= 0 && t.Term.CompareTo(to) < 0);
        }
        else
        {
            var leading = await LeadingTermAsync(terms, search.Terms, cancellationToken);
            rows = terms.Where(t => t.Term == leading);
            foreach (var other in search.Terms.Where(t => t != leading))
            {
                rows = rows.Where(t => db.MemberSearchTerms.Any(o => o.MemberId == t.MemberId && o.Kind == SearchTermKind.Name && o.Term == other));
            }
        }

        var keys = rows.Select(t => new SearchKey { SortKey = t.SortKey, MemberId = t.MemberId });
        if (search.Kind == SearchTermKind.Phone)
        {
            // One member may start with the digits in two forms of their phone.
            keys = keys.Distinct();
        }

        var exactKey = search.ExactKey ?? "";
        var exact = search.ExactKey is null ? keys.Where(k => false) : keys.Where(k => k.SortKey == exactKey);
        var others = search.ExactKey is null ? keys : keys.Where(k => k.SortKey != exactKey);
        var range = new SearchRange(members, filtered);

        var found = new List<(Member Member, string SortKey, bool Exact)>(pageSize + 1);
        if (cursor is null)
        {
            var offset = (page - 1) * pageSize;
            var exactCount = search.ExactKey is null ? 0 : await range.CountAsync(exact, upTo: null, cancellationToken);
            if (offset < exactCount)
            {
                var first = await range.PageAsync(exact, skip: offset, take: pageSize + 1, cancellationToken);
                found.AddRange(first.Select(m => (m.Member, m.SortKey, true)));
            }

            var rest = await range.PageAsync(others, skip: Math.Max(0, offset - exactCount), take: pageSize + 1 - found.Count, cancellationToken);
            found.AddRange(rest.Select(m => (m.Member, m.SortKey, false)));
        }
        else
        {
            var sortKey = cursor.SortKey!;
            var past = (IQueryable<SearchKey> keyRange) => keyRange.Where(k => EF.Functions.GreaterThan(ValueTuple.Create(k.SortKey, k.MemberId), ValueTuple.Create(sortKey, cursor.Id)));
            if (cursor.Exact == true)
            {
                var first = await range.PageAsync(past(exact), skip: 0, take: pageSize + 1, cancellationToken);
                found.AddRange(first.Select(m => (m.Member, m.SortKey, true)));
                var rest = await range.PageAsync(others, skip: 0, take: pageSize + 1 - found.Count, cancellationToken);
                found.AddRange(rest.Select(m => (m.Member, m.SortKey, false)));
            }
            else
            {
                var rest = await range.PageAsync(past(others), skip: 0, take: pageSize + 1, cancellationToken);
                found.AddRange(rest.Select(m => (m.Member, m.SortKey, false)));
            }
        }

        var more = found.Count > pageSize;
        var items = found.Take(pageSize).ToList();
        // A first page that is not full holds every match; otherwise count them, up to one past what is told exactly.
        var counted = cursor is null && page == 1 && !more ? items.Count : await range.CountAsync(keys, upTo: CountedMatches + 1, cancellationToken);
        var last = more ? items[^1] : default;
        return new Paged<MemberView>(items.Select(m => MemberView.From(m.Member)).ToList(), Math.Min(counted, CountedMatches), page, pageSize)
        {
            TotalIsLowerBound = counted > CountedMatches,
            After = more ? new MemberListCursor(page + 1, last.Member.Id, last.Exact, last.SortKey).Write() : null,
        };
    }

    /// <summary>The term with the fewest rows (counted up to a bound): the others are checked on its rows.</summary>
    private static async Task<string> LeadingTermAsync(IQueryable<MemberSearchTerm> terms, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        if (words.Count == 1)
        {
            return words[0];
        }

        var (leading, fewest) = (words[0], int.MaxValue);
        foreach (var word in words)
        {
            var rows = await terms.Where(t => t.Term == word).Take(CountedMatches + 1).CountAsync(cancellationToken);
            if (rows < fewest)
            {
                (leading, fewest) = (word, rows);
            }

            if (rows == 0)
            {
                break;
            }
        }

        return leading;
    }

    private static async Task<int> CountByStatusAsync(PermissionDbContext db, Guid orgId, MemberStatus? status, CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == orgId, cancellationToken);
        return status is { } only
            ? organisation.MembersWith(only)
            : organisation.PendingMembers + organisation.ActiveMembers + organisation.BlockedMembers;
    }

    /// <summary>A row of the search index, in result order.</summary>
    private sealed record SearchKey
    {
        public required string SortKey { get; init; }
        public required Guid MemberId { get; init; }
    }

    private sealed record SearchMatch
    {
        public required string SortKey { get; init; }
        public required Guid MemberId { get; init; }
        public required Member Member { get; init; }
    }

    /// <summary>
    /// Reads pages and counts of index rows. Without a role or group filter the index alone decides (it holds each
    /// member's status), so a page skips and takes index rows and reads the members of its own rows only; a filter needs
    /// the members' rows to decide which index rows count.
    /// </summary>
    private sealed class SearchRange(IQueryable<Member> members, bool filtered)
    {
        public Task<List<SearchMatch>> PageAsync(IQueryable<SearchKey> keys, int skip, int take, CancellationToken cancellationToken) =>
            (filtered
                ? Ordered(Matches(keys)).Skip(skip).Take(take)
                : Ordered(Matches(keys.OrderBy(k => k.SortKey).ThenBy(k => k.MemberId).Skip(skip).Take(take))))
            .ToListAsync(cancellationToken);

        public Task<int> CountAsync(IQueryable<SearchKey> keys, int? upTo, CancellationToken cancellationToken)
        {
            var counted = filtered ? Matches(keys).Select(m => m.MemberId) : keys.Select(k => k.MemberId);
            return (upTo is { } bound ? counted.Take(bound) : counted).CountAsync(cancellationToken);
        }

        private IQueryable<SearchMatch> Matches(IQueryable<SearchKey> keys) =>
            keys.Join(members, k => k.MemberId, m => m.Id, (k, m) => new SearchMatch { SortKey = k.SortKey, MemberId = k.MemberId, Member = m });

        private static IQueryable<SearchMatch> Ordered(IQueryable<SearchMatch> matches) => matches.OrderBy(m => m.SortKey).ThenBy(m => m.MemberId);
    }
}
