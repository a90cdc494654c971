using Microsoft.AspNetCore.Builder;

namespace TeamPlatform.ServiceDefaults.Api.OpenApi;

/// <summary>
/// What the endpoint enforces on one query parameter, so that its OpenAPI document says it. Give the same constants
/// the endpoint checks against: the document then cannot drift from the check.
/// </summary>
public sealed record QueryParameterRule(string Name)
{
    public int? Minimum { get; init; }

    public int? Maximum { get; init; }

    public int? Default { get; init; }

    public int? MaxLength { get; init; }

    public int? MaxItems { get; init; }

    public IReadOnlyList<string>? AllowedValues { get; init; }
}

public static class QueryParameterRuleExtensions
{
    /// <summary><c>page</c> from 1 (default 1) and <c>pageSize</c> from 1 to <paramref name="maxPageSize"/>.</summary>
    public static TBuilder WithPaging<TBuilder>(this TBuilder endpoint, int defaultPageSize, int maxPageSize)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(
            new QueryParameterRule("page") { Minimum = 1, Default = 1 },
            new QueryParameterRule("pageSize") { Minimum = 1, Maximum = maxPageSize, Default = defaultPageSize });

    public static TBuilder WithQueryValues<TBuilder>(this TBuilder endpoint, string name, IEnumerable<string> allowedValues)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new QueryParameterRule(name) { AllowedValues = [.. allowedValues] });

    public static TBuilder WithQueryMaxLength<TBuilder>(this TBuilder endpoint, string name, int maxLength)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new QueryParameterRule(name) { MaxLength = maxLength });

    public static TBuilder WithQueryMaxItems<TBuilder>(this TBuilder endpoint, string name, int maxItems)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new QueryParameterRule(name) { MaxItems = maxItems });
}
