using System.Buffers.Text;
using System.Text.Json;

namespace TeamPlatform.Permissions.Features.ListMembers;

/// <summary>
/// Where the next page of the team list starts: after the last member shown, by the list's own order (join date, or
/// for a search exact matches first then the folded username), and which page number that is. Opaque to clients.
/// </summary>
/// <param name="Exact">Searches only: the last member shown was an exact match of the search.</param>
/// <param name="SortKey">Searches only: the last member's folded username.</param>
/// <param name="JoinedAt">Without a search: when the last member joined.</param>
public sealed record MemberListCursor(int Page, Guid Id, bool? Exact = null, string? SortKey = null, DateTimeOffset? JoinedAt = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool IsSearch => SortKey is not null;

    public string Write() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>Null when <paramref name="text"/> is not a cursor this list gave for a list of the same kind.</summary>
    public static MemberListCursor? Read(string text, bool search)
    {
        try
        {
            var cursor = JsonSerializer.Deserialize<MemberListCursor>(Base64Url.DecodeFromChars(text), Json);
            var wellFormed = cursor is { Page: > 1 } && cursor.Id != Guid.Empty
                && (search
                    ? cursor is { Exact: not null, SortKey: not null, JoinedAt: null }
                    : cursor is { Exact: null, SortKey: null, JoinedAt: not null });
            return wellFormed ? cursor : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }
}
