using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace TeamPlatform.Internal;

/// <summary>
/// Says what is wrong with JSON the serializer could not read, in the API's words: the member by its JSON path and what it
/// must be. The serializer's own messages name .NET types, which mean nothing to a client (and tell an attacker how the
/// service is built), so none is passed on.
/// </summary>
public static partial class JsonReadFailure
{
    /// <summary>What is wrong with a JSON body the serializer could not read as <paramref name="requestType"/>.</summary>
    public static string Describe(JsonException exception, Type? requestType, JsonSerializerOptions json)
    {
        var member = MemberOf(exception.Path);
        var where = member is null ? "The request body" : $"'{member}'";
        if (exception is UnstorableTextException unstorable)
        {
            return $"'{(member is null ? "" : member + ".")}{unstorable.Member}' {unstorable.Flaw}.";
        }

        // Decoding a string found bytes that are not UTF-8, or an escaped surrogate without its pair.
        if (exception.InnerException is InvalidOperationException { Message: var decoding } && decoding.Contains("invalid UTF-", StringComparison.Ordinal))
        {
            return $"{where} is not valid UTF-8 text.";
        }

        // The reader's own failure: the text is not JSON at all.
        if (exception.InnerException is JsonException)
        {
            return exception.LineNumber is { } line && exception.BytePositionInLine is { } position
                ? $"The request body is not valid JSON (line {line + 1}, position {position + 1})."
                : "The request body is not valid JSON.";
        }

        if (UnknownMember().Match(exception.Message) is { Success: true } unknown)
        {
            var name = unknown.Groups["name"].Value;
            var parent = member is null || member == name ? null : member[..^(name.Length + 1)];
            return parent is null or "" ? $"'{name}' is not a member of this request." : $"'{name}' is not a member of '{parent}'.";
        }

        if (MissingMembers().Match(exception.Message) is { Success: true } missing)
        {
            return $"{where} lacks required members: {missing.Groups["names"].Value}.";
        }

        return requestType is not null && TypeAt(json, requestType, exception.Path) is { } type
            ? $"{where} must be {ExpectedOf(type, json)}."
            : $"{where} has a value of the wrong kind.";
    }

    /// <summary><c>$.settings.chatbotPhone</c> → <c>settings.chatbotPhone</c>; <c>$</c> → null.</summary>
    private static string? MemberOf(string? path) =>
        path is null || path.Length <= 2 ? null : path[2..].Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);

    /// <summary>The .NET type the serializer was reading at <paramref name="path"/>, found the way it found it.</summary>
    private static Type? TypeAt(JsonSerializerOptions json, Type root, string? path)
    {
        var type = root;
        foreach (var segment in PathSegments().Matches(path ?? "$").Select(m => m.Groups["name"].Success ? m.Groups["name"].Value : null))
        {
            var info = json.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
            type = info.Kind switch
            {
                JsonTypeInfoKind.Object when segment is not null => info.Properties.FirstOrDefault(p => p.Name == segment)?.PropertyType,
                JsonTypeInfoKind.Enumerable when segment is null => info.ElementType,
                JsonTypeInfoKind.Dictionary when segment is not null => info.ElementType,
                _ => null,
            };
            if (type is null)
            {
                return null;
            }
        }

        return type;
    }

    private static string ExpectedOf(Type type, JsonSerializerOptions json)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", WireNames(type))}";
        }

        if (Expected(type.Name) is { } simple)
        {
            return simple;
        }

        return json.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Enumerable => "an array",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            _ => "a valid value",
        };
    }

    /// <summary>A type by its name (<c>Guid</c>, <c>Int32</c>, <c>int</c>) in words; null when it is none of the simple ones.</summary>
    public static string? Expected(string typeName) => typeName switch
    {
        "String" or "string" => "a string",
        "Guid" => "an id (a UUID)",
        "Boolean" or "bool" => "true or false",
        "Int16" or "Int32" or "Int64" or "short" or "int" or "long" or "Byte" or "byte" => "a whole number",
        "Decimal" or "Double" or "Single" or "decimal" or "double" or "float" => "a number",
        "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601)",
        "DateOnly" => "a date (yyyy-mm-dd)",
        "TimeSpan" => "a duration (hh:mm:ss)",
        _ => null,
    };

    private static IEnumerable<string> WireNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(field =>
            field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Name));

    [GeneratedRegex("""^The JSON property '(?<name>.*)' could not be mapped to any \.NET member""", RegexOptions.Singleline)]
    private static partial Regex UnknownMember();

    [GeneratedRegex("""missing required properties including: (?<names>.*?)\.?$""", RegexOptions.Singleline)]
    private static partial Regex MissingMembers();

    [GeneratedRegex("""\.(?<name>[^.\[]+)|\['(?<name>(?:[^']|'')*)'\]|\[\d+\]""")]
    private static partial Regex PathSegments();
}
