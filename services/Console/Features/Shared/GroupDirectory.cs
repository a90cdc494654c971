using TeamPlatform.Console.Infrastructure.Api;
using TeamPlatform.Console.Infrastructure.Gateway;

namespace TeamPlatform.Console.Features.Shared;

/// <summary>
/// The groups a page works with, in an organisation that may have a thousand of them: the names of the groups the page
/// shows, asked for once each while the page is open (docs/decisions/0502), and a search by the start of a word for
/// pickers. A group asked for and not found has been deleted.
/// </summary>
public sealed class GroupDirectory(
    Func<string, int, Task<ApiResult<ListPage<Group>>>> search,
    Func<IReadOnlyCollection<Guid>, Task<ApiResult<ListPage<Group>>>> named)
{
    public const string DeletedGroup = "a deleted group";

    /// <summary>The most ids one request names (the API's limit).</summary>
    private const int NamedPerRequest = 100;

    private readonly Dictionary<Guid, string?> _names = [];

    public static GroupDirectory For(MemberApi api) => new(api.GroupsStartingWithAsync, api.GroupsNamedAsync);

    public string NameOf(Guid id) => _names.GetValueOrDefault(id) ?? DeletedGroup;

    /// <summary>Learns the names of the groups not known yet; a refusal leaves them unnamed, to be asked again.</summary>
    public async Task<ApiError?> NameAsync(IEnumerable<Guid> ids)
    {
        foreach (var unnamed in ids.Where(id => !_names.ContainsKey(id)).Distinct().Chunk(NamedPerRequest))
        {
            var groups = await named(unnamed);
            if (!groups.Succeeded)
            {
                return groups.Error;
            }

            Remember(groups.Value.Items);
            foreach (var deleted in unnamed.Where(id => !_names.ContainsKey(id)))
            {
                _names[deleted] = null;
            }
        }

        return null;
    }

    /// <summary>The first <paramref name="count"/> groups, by name, with a word starting with the text (all when empty).</summary>
    public async Task<ApiResult<ListPage<Group>>> SearchAsync(string text, int count)
    {
        var groups = await search(text.Trim(), count);
        if (groups.Succeeded)
        {
            Remember(groups.Value.Items);
        }

        return groups;
    }

    private void Remember(IEnumerable<Group> groups)
    {
        foreach (var group in groups)
        {
            _names[group.Id] = group.Name;
        }
    }
}
