using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>
/// Checks every text an object of a request body holds once it is read: its strings, lists of strings, map keys and free-form
/// JSON values (an access document). A check after reading rather than a converter of strings, because the OpenAPI documents
/// are drawn from the serializer's contracts and a converter of its own makes every string an untyped schema.
/// </summary>
internal static class StorableBodyText
{
    public static void Check(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        var textMembers = typeInfo.Properties.Where(p => p.Get is not null && HoldsText(p.PropertyType)).ToArray();
        if (textMembers.Length == 0)
        {
            return;
        }

        var next = typeInfo.OnDeserialized;
        typeInfo.OnDeserialized = read =>
        {
            foreach (var member in textMembers)
            {
                if (FlawIn(member.Get!(read)) is { } flaw)
                {
                    throw new UnstorableTextException(member.Name, flaw);
                }
            }

            next?.Invoke(read);
        };
    }

    private static bool HoldsText(Type type) =>
        type == typeof(string) || type == typeof(JsonElement) || type == typeof(JsonElement?)
        || typeof(IEnumerable<string>).IsAssignableFrom(type)
        || typeof(IEnumerable<JsonElement>).IsAssignableFrom(type)
        || type.GetInterfaces().Append(type).Any(IsMapByText);

    private static bool IsMapByText(Type type) =>
        type.IsGenericType
        && (type.GetGenericTypeDefinition() == typeof(IDictionary<,>) || type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        && type.GetGenericArguments()[0] == typeof(string);

    private static string? FlawIn(object? value) => value switch
    {
        null => null,
        string text => StorableText.Flaw(text),
        JsonElement json => FlawInJson(json),
        IDictionary map => FlawInMap(map),
        IEnumerable items => FlawInItems(items),
        _ => null,
    };

    private static string? FlawInMap(IDictionary map)
    {
        foreach (DictionaryEntry entry in map)
        {
            if (FlawIn(entry.Key) is { } keyFlaw)
            {
                return $"has a key that {keyFlaw}";
            }

            if (FlawIn(entry.Value) is { } flaw)
            {
                return flaw;
            }
        }

        return null;
    }

    private static string? FlawInItems(IEnumerable items)
    {
        foreach (var item in items)
        {
            if (FlawIn(item) is { } flaw)
            {
                return flaw;
            }
        }

        return null;
    }

    private static string? FlawInJson(JsonElement json)
    {
        try
        {
            return FlawIn(json);
        }
        catch (InvalidOperationException)
        {
            // A free-form value is decoded only here: bytes that are not UTF-8, or an escaped surrogate without its pair.
            return "is not valid UTF-8 text";
        }
    }

    private static string? FlawIn(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return StorableText.Flaw(json.GetString());
            case JsonValueKind.Array:
                return FlawInItems(json.EnumerateArray().Cast<object>());
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    if (StorableText.Flaw(property.Name) is { } nameFlaw)
                    {
                        return $"has a member name that {nameFlaw}";
                    }

                    if (FlawIn(property.Value) is { } flaw)
                    {
                        return flaw;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
