using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>
/// Says what is wrong with an unreadable request in the API's words: the JSON member, route or query parameter by its
/// name and what it must be. The framework's messages name .NET types and parameter declarations, which mean nothing to
/// a client (and tell an attacker how the service is built), so none is passed on; one the rules below do not know
/// becomes a general sentence.
/// </summary>
internal static partial class BadRequestDescription
{
    public static string Of(BadHttpRequestException exception, HttpContext context, JsonSerializerOptions json)
    {
        if (exception.InnerException is JsonException body)
        {
            return OfBody(body, context, json);
        }

        if (FailedToBind().Match(exception.Message) is { Success: true } failed)
        {
            return $"{Source(context, failed.Groups["name"].Value)} '{failed.Groups["name"].Value}' must be {ExpectedOf(failed.Groups["type"].Value)}.";
        }

        if (NotProvided().Match(exception.Message) is { Success: true } missing)
        {
            return missing.Groups["source"].Value == "body"
                ? "The request body is missing."
                : $"{Source(context, missing.Groups["name"].Value)} '{missing.Groups["name"].Value}' is required.";
        }

        return NoBody().IsMatch(exception.Message)
            ? "The request body is missing."
            : "The request could not be read.";
    }

    public static string OfMediaType(HttpContext context)
    {
        var sent = string.IsNullOrEmpty(context.Request.ContentType) ? "no content type" : $"'{context.Request.ContentType}'";
        // Routing answers a media type no endpoint accepts with an endpoint of its own, which knows none: the API's bodies are JSON.
        var accepted = EndpointOf(context)?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes is { Count: > 0 } types
            ? string.Join(" or ", types)
            : "application/json";
        return $"This route takes {accepted}; the request sent {sent}.";
    }

    private static string OfBody(JsonException exception, HttpContext context, JsonSerializerOptions json)
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

        var requestType = EndpointOf(context)?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
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

    /// <summary>A parameter type as the framework writes it (<c>Nullable&lt;Guid&gt;</c>, <c>int</c>) in words.</summary>
    private static string ExpectedOf(string displayName)
    {
        var name = displayName.StartsWith("Nullable<", StringComparison.Ordinal) ? displayName[9..^1] : displayName.TrimEnd('?');
        return Expected(name) ?? (name.EndsWith("[]", StringComparison.Ordinal) ? "a list of valid values" : "a valid value");
    }

    private static string? Expected(string typeName) => typeName switch
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

    /// <summary>Where a parameter the framework could not bind comes from: the route's pattern, else the query, else a header.</summary>
    private static string Source(HttpContext context, string name)
    {
        if ((EndpointOf(context) as RouteEndpoint)?.RoutePattern.GetParameter(name) is not null)
        {
            return "Route parameter";
        }

        return context.Request.Headers.ContainsKey(name) && !context.Request.Query.ContainsKey(name) ? "Header" : "Query parameter";
    }

    /// <summary>The endpoint that failed: the exception handler has cleared the request's own by the time it asks.</summary>
    private static Endpoint? EndpointOf(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ "]+)" from ".*"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>[^ "]+)" was not provided from (?<source>[^.]+)\.$""")]
    private static partial Regex NotProvided();

    [GeneratedRegex("""^Implicit body inferred for parameter .* but no body was provided""")]
    private static partial Regex NoBody();

    [GeneratedRegex("""^The JSON property '(?<name>.*)' could not be mapped to any \.NET member""", RegexOptions.Singleline)]
    private static partial Regex UnknownMember();

    [GeneratedRegex("""missing required properties including: (?<names>.*?)\.?$""", RegexOptions.Singleline)]
    private static partial Regex MissingMembers();

    [GeneratedRegex("""\.(?<name>[^.\[]+)|\['(?<name>(?:[^']|'')*)'\]|\[\d+\]""")]
    private static partial Regex PathSegments();
}
