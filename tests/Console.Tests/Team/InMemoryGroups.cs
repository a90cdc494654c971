using TeamPlatform.Console.Features.Shared;
using TeamPlatform.Console.Infrastructure.Api;
using TeamPlatform.Console.Infrastructure.Gateway;

namespace TeamPlatform.Console.Tests.Team;

/// <summary>An organisation's groups as <c>GET /api/groups</c> answers them: by name, searched by the start of a word.</summary>
public sealed class InMemoryGroups(params Group[] groups)
{
    public List<string> Searches { get; } = [];

    public int NameRequests { get; private set; }

    public GroupDirectory Directory() => new(SearchAsync, NamedAsync);

    private Task<ApiResult<ListPage<Group>>> SearchAsync(string text, int count)
    {
        Searches.Add(text);
        var matches = groups
            .Where(g => text.Length == 0 || g.Name.Split(' ').Any(word => word.StartsWith(text, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return Task.FromResult<ApiResult<ListPage<Group>>>(new(new ListPage<Group>(matches.Take(count).ToList(), matches.Count, 1, count), null));
    }

    private Task<ApiResult<ListPage<Group>>> NamedAsync(IReadOnlyCollection<Guid> ids)
    {
        NameRequests++;
        var named = groups.Where(g => ids.Contains(g.Id)).ToList();
        return Task.FromResult<ApiResult<ListPage<Group>>>(new(new ListPage<Group>(named, named.Count, 1, 100), null));
    }
}
