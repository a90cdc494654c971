using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace TeamPlatform.Testing.OpenApi;

/// <summary>
/// Checks a JSON value against an OpenAPI 3.1 schema: types (with null), enum, const, required and additional members,
/// items, allOf / anyOf / oneOf, bounds of numbers, strings and arrays, and patterns. Formats are not checked.
/// References are followed by Microsoft.OpenApi itself.
/// </summary>
public static class SchemaCheck
{
    public static IReadOnlyList<string> Errors(IOpenApiSchema schema, JsonElement value)
    {
        var errors = new List<string>();
        Check(schema, value, "$", errors);
        return errors;
    }

    private static void Check(IOpenApiSchema schema, JsonElement value, string at, List<string> errors)
    {
        if (schema.Type is { } types && !Admits(types, value))
        {
            errors.Add($"{at}: {value.ValueKind} where the schema wants {types}.");
            return;
        }

        if (schema.Enum is { Count: > 0 } allowed && !allowed.Any(a => a is null ? value.ValueKind == JsonValueKind.Null : JsonElement.DeepEquals(JsonDocument.Parse(a.ToJsonString()).RootElement, value)))
        {
            errors.Add($"{at}: {value.GetRawText()} is none of {string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"))}.");
        }

        if (schema.Const is { } constant && value.ValueKind == JsonValueKind.String && value.GetString() != constant)
        {
            errors.Add($"{at}: {value.GetRawText()} is not \"{constant}\".");
        }

        foreach (var part in schema.AllOf ?? [])
        {
            Check(part, value, at, errors);
        }

        if (schema.AnyOf is { Count: > 0 } anyOf && !anyOf.Any(part => Errors(part, value).Count == 0))
        {
            errors.Add($"{at}: matches none of anyOf.");
        }

        if (schema.OneOf is { Count: > 0 } oneOf && oneOf.Count(part => Errors(part, value).Count == 0) != 1)
        {
            errors.Add($"{at}: matches not exactly one of oneOf.");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, value, at, errors);
                break;
            case JsonValueKind.Array:
                CheckArray(schema, value, at, errors);
                break;
            case JsonValueKind.String:
                CheckString(schema, value.GetString()!, at, errors);
                break;
            case JsonValueKind.Number:
                if (value.TryGetDecimal(out var number))
                {
                    CheckNumber(schema, number, at, errors);
                }

                break;
        }
    }

    private static bool Admits(JsonSchemaType types, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => types.HasFlag(JsonSchemaType.Null),
        JsonValueKind.True or JsonValueKind.False => types.HasFlag(JsonSchemaType.Boolean),
        JsonValueKind.String => types.HasFlag(JsonSchemaType.String),
        JsonValueKind.Object => types.HasFlag(JsonSchemaType.Object),
        JsonValueKind.Array => types.HasFlag(JsonSchemaType.Array),
        JsonValueKind.Number => types.HasFlag(JsonSchemaType.Number)
            || (types.HasFlag(JsonSchemaType.Integer) && value.TryGetDecimal(out var number) && number == decimal.Truncate(number)),
        _ => false,
    };

    private static void CheckObject(IOpenApiSchema schema, JsonElement value, string at, List<string> errors)
    {
        foreach (var name in schema.Required ?? new HashSet<string>())
        {
            if (!value.TryGetProperty(name, out _))
            {
                errors.Add($"{at}: {name} is required.");
            }
        }

        foreach (var member in value.EnumerateObject())
        {
            if (schema.Properties?.TryGetValue(member.Name, out var property) == true)
            {
                Check(property, member.Value, $"{at}.{member.Name}", errors);
            }
            else if (schema.AdditionalProperties is { } additional)
            {
                Check(additional, member.Value, $"{at}.{member.Name}", errors);
            }
            else if (!schema.AdditionalPropertiesAllowed)
            {
                errors.Add($"{at}: {member.Name} is not allowed.");
            }
        }
    }

    private static void CheckArray(IOpenApiSchema schema, JsonElement value, string at, List<string> errors)
    {
        var length = value.GetArrayLength();
        if (length < (schema.MinItems ?? 0) || length > (schema.MaxItems ?? int.MaxValue))
        {
            errors.Add($"{at}: {length} items, outside {schema.MinItems}..{schema.MaxItems}.");
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (schema.Items is { } items)
            {
                Check(items, item, $"{at}[{index}]", errors);
            }

            index++;
        }
    }

    private static void CheckString(IOpenApiSchema schema, string value, string at, List<string> errors)
    {
        var length = new StringInfo(value).LengthInTextElements;
        if (length < (schema.MinLength ?? 0) || length > (schema.MaxLength ?? int.MaxValue))
        {
            errors.Add($"{at}: {length} characters, outside {schema.MinLength}..{schema.MaxLength}.");
        }

        if (schema.Pattern is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{at}: \"{value}\" does not match {pattern}.");
        }
    }

    private static void CheckNumber(IOpenApiSchema schema, decimal value, string at, List<string> errors)
    {
        if (Bound(schema.Minimum) is { } minimum && value < minimum)
        {
            errors.Add($"{at}: {value} is below {minimum}.");
        }

        if (Bound(schema.Maximum) is { } maximum && value > maximum)
        {
            errors.Add($"{at}: {value} is above {maximum}.");
        }
    }

    private static decimal? Bound(string? bound) =>
        decimal.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
