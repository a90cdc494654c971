using System.Reflection;
using System.Text.Json;

namespace TeamPlatform.Contracts.Tests;

/// <summary>
/// JSON Schemas of the records as System.Text.Json writes them for MassTransit: camelCase names; a property that may be
/// null may also be absent (the serialiser leaves nulls out), every other one is required.
/// </summary>
internal static class Schemas
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static YamlMap Of(Type record, XmlDocumentation docs)
    {
        var properties = new YamlMap();
        var required = new List<object?>();
        foreach (var property in Properties(record))
        {
            var nullable = IsNullable(property);
            var schema = For(property.PropertyType, Nullability.Create(property), nullable);
            if (docs.Property(record, property.Name) is { } description)
            {
                schema.Add("description", description);
            }
            properties.Add(Name(property), schema);
            if (!nullable)
            {
                required.Add(Name(property));
            }
        }
        var result = new YamlMap { { "type", "object" } };
        if (docs.Summary(record) is { } summary)
        {
            result.Add("description", summary);
        }
        result.Add("required", required);
        result.Add("properties", properties);
        return result;
    }

    public static IEnumerable<PropertyInfo> Properties(Type record) =>
        record.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(p => p.Name != "EqualityContract");

    public static string Name(PropertyInfo property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    public static bool IsNullable(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null || Nullability.Create(property).ReadState == NullabilityState.Nullable;

    private static YamlMap For(Type type, NullabilityInfo? nullability, bool nullable)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (AsyncApiDocument.IsRecord(type))
        {
            var reference = new YamlMap { { "$ref", $"#/components/schemas/{type.Name}" } };
            return nullable ? new YamlMap { { "oneOf", new List<object?> { reference, new YamlMap { { "type", "null" } } } } } : reference;
        }
        var schema = new YamlMap();
        if (type == typeof(JsonElement))
        {
            schema.Add("description", "Any JSON value.");
            return schema;
        }
        var (jsonType, format) = type switch
        {
            _ when type == typeof(string) => ("string", null),
            _ when type == typeof(Guid) => ("string", "uuid"),
            _ when type == typeof(DateTimeOffset) => ("string", "date-time"),
            _ when type == typeof(int) => ("integer", "int32"),
            _ when type == typeof(long) => ("integer", "int64"),
            _ when type == typeof(bool) => ("boolean", (string?)null),
            _ when Dictionary(type) is not null => ("object", null),
            _ when Element(type) is not null => ("array", null),
            _ => throw new NotSupportedException($"No JSON Schema for {type} yet: add it here."),
        };
        schema.Add("type", nullable ? new List<object?> { jsonType, "null" } : jsonType);
        if (format is not null)
        {
            schema.Add("format", format);
        }
        if (Dictionary(type) is { } value)
        {
            schema.Add("additionalProperties", For(value, nullability?.GenericTypeArguments.ElementAtOrDefault(1), false));
        }
        else if (Element(type) is { } element)
        {
            schema.Add("items", For(element, nullability?.GenericTypeArguments.ElementAtOrDefault(0), false));
        }
        return schema;
    }

    /// <summary>The value type of a dictionary with string keys.</summary>
    internal static Type? Dictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>))
            && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    /// <summary>The element type of a list.</summary>
    internal static Type? Element(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>) || definition == typeof(List<>))
            ? type.GetGenericArguments()[0]
            : null;
}
