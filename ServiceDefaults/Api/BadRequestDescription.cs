using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>
/// Says what is wrong with an unreadable request in the API's words: the JSON member, route or query parameter by its
/// name and what it must be (a body's members as <see cref="JsonReadFailure"/> says). The framework's messages name .NET
/// types and parameter declarations, so none is passed on; one the rules below do not know becomes a general sentence.
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

    private static string OfBody(JsonException exception, HttpContext context, JsonSerializerOptions json) =>
        JsonReadFailure.Describe(exception, EndpointOf(context)?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType, json);

    /// <summary>A parameter type as the framework writes it (<c>Nullable&lt;Guid&gt;</c>, <c>int</c>) in words.</summary>
    private static string ExpectedOf(string displayName)
    {
        var name = displayName.StartsWith("Nullable<", StringComparison.Ordinal) ? displayName[9..^1] : displayName.TrimEnd('?');
        return JsonReadFailure.Expected(name) ?? (name.EndsWith("[]", StringComparison.Ordinal) ? "a list of valid values" : "a valid value");
    }

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
}
