using System.Globalization;
using System.Text.Json;

namespace TeamPlatform.Internal;

/// <summary>
/// Text a service can keep: PostgreSQL's <c>text</c> and <c>jsonb</c> hold no U+0000, and Npgsql refuses a string with an
/// unpaired surrogate, which is not Unicode at all. Such text is refused at the edge of every API as
/// <c>400 validation_failed</c> (docs/decisions/0013-text-that-cannot-be-stored.md), so that it never reaches a database.
/// </summary>
public static class StorableText
{
    /// <summary>What is wrong with <paramref name="value"/> in a few words ("contains U+0000 (NUL)…"), or null when it can be stored.</summary>
    public static string? Flaw(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return "contains the character U+0000 (NUL), which cannot be stored";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return $"contains an unpaired surrogate (U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}), which is not valid Unicode";
            }
        }

        return null;
    }
}

/// <summary>
/// A body member holding text that cannot be stored. The serializer adds the JSON path of the object around it; the answer
/// names the member (<see cref="JsonReadFailure"/>).
/// </summary>
public sealed class UnstorableTextException(string member, string flaw) : JsonException($"'{member}' {flaw}.")
{
    public string Member { get; } = member;

    public string Flaw { get; } = flaw;
}
