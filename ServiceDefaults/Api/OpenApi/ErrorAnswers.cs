using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api.OpenApi;

/// <summary>
/// Gives every operation the error answers it really gives, each an RFC 9457 problem (<see cref="ApiDocumentation.ProblemSchema"/>):
/// read from what the endpoint is (needs a token, has a body, has route values, has checked query parameters) and from
/// the <see cref="ProblemAnswer"/>s only the endpoint knows. It also gives authenticated operations their security
/// requirement and query parameters the bounds their endpoint checks (<see cref="QueryParameterRule"/>).
/// </summary>
internal sealed class ErrorAnswers : IOpenApiOperationTransformer
{
    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [400] = "The request is invalid: its body, a parameter or a rule of the product refused it.",
        [401] = "No token, or a bad, expired or revoked one.",
        [403] = "The caller lacks the permission this needs.",
        [404] = "Nothing with this id in the caller's organisation.",
        [409] = "The current state refuses the change.",
        [410] = "The link is no longer valid.",
        [413] = "The request body is too large.",
        [415] = "The request body is not of a media type this operation reads.",
        [422] = "The Idempotency-Key was sent before with another body.",
        [429] = "Too many requests: try again after Retry-After seconds.",
        [503] = "A service or server this needs is unreachable: try again after Retry-After seconds.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var document = context.Document
            ?? throw new InvalidOperationException("The OpenAPI document is not at hand while its operations are described.");
        var needsToken = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var hasBody = operation.RequestBody is not null;
        var hasParameters = operation.Parameters is { Count: > 0 };
        var hasRouteValues = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path);

        var codesByStatus = new SortedDictionary<int, SortedSet<string>>();
        void Answer(int status, params IEnumerable<string> codes)
        {
            if (!codesByStatus.TryGetValue(status, out var known))
            {
                codesByStatus[status] = known = new SortedSet<string>(StringComparer.Ordinal);
            }

            known.UnionWith(codes);
        }

        if (hasBody || hasParameters)
        {
            Answer(400, ErrorCodes.ValidationFailed);
        }

        if (hasBody)
        {
            Answer(413, ErrorCodes.PayloadTooLarge);
            Answer(415, ErrorCodes.UnsupportedMediaType);
        }

        if (needsToken)
        {
            Answer(401, ErrorCodes.Unauthenticated);
            Answer(403, ErrorCodes.Forbidden);
            operation.Security = [ApiDocumentation.SecurityRequirement(document, ApiDocumentation.BearerScheme),
                ApiDocumentation.SecurityRequirement(document, ApiDocumentation.OAuth2Scheme)];
        }
        else
        {
            // The gateway limits anonymous requests per client address.
            Answer(429, ErrorCodes.RateLimited);
        }

        if (hasRouteValues)
        {
            Answer(404, ErrorCodes.NotFound);
        }

        // The gateway answers so for a service that does not answer; every service so for a server it cannot reach.
        Answer(503, ErrorCodes.ServiceUnavailable);

        foreach (var answer in metadata.OfType<ProblemAnswer>())
        {
            Answer(answer.Status, answer.Codes);
        }

        operation.Responses ??= [];
        foreach (var (key, _) in operation.Responses.Where(r => IsError(r.Key)).ToList())
        {
            Answer(int.Parse(key, CultureInfo.InvariantCulture));
        }

        foreach (var (status, codes) in codesByStatus)
        {
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = ProblemResponse(document, status, codes);
        }

        foreach (var rule in metadata.OfType<QueryParameterRule>())
        {
            Apply(operation, rule);
        }

        return Task.CompletedTask;
    }

    private static bool IsError(string status) =>
        int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code >= 400;

    private static OpenApiResponse ProblemResponse(OpenApiDocument document, int status, IEnumerable<string> codes)
    {
        var named = codes.ToList();
        var response = new OpenApiResponse
        {
            Description = $"{Descriptions.GetValueOrDefault(status, ReasonPhrases.GetReasonPhrase(status))}"
                + (named.Count == 0 ? "" : $" code: {string.Join(", ", named.Select(c => $"`{c}`"))}."),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ApiDocumentation.ProblemSchema, document) },
            },
        };
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
                },
            };
        }

        return response;
    }

    private static void Apply(OpenApiOperation operation, QueryParameterRule rule)
    {
        var parameter = operation.Parameters?.OfType<OpenApiParameter>()
            .FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == rule.Name)
            ?? throw new InvalidOperationException($"A rule names the query parameter '{rule.Name}', which {operation.OperationId ?? "the operation"} does not have.");
        var schema = parameter.Schema as OpenApiSchema
            ?? throw new InvalidOperationException($"The query parameter '{rule.Name}' has no schema of its own to bound.");
        if (rule.Minimum is { } minimum)
        {
            schema.Minimum = minimum.ToString(CultureInfo.InvariantCulture);
        }

        if (rule.Maximum is { } maximum)
        {
            schema.Maximum = maximum.ToString(CultureInfo.InvariantCulture);
        }

        if (rule.Default is { } value)
        {
            schema.Default = JsonValue.Create(value);
        }

        if (rule.MaxLength is { } maxLength)
        {
            schema.MaxLength = maxLength;
        }

        if (rule.AllowedValues is { } allowed)
        {
            schema.Enum = [.. allowed.Select(v => (JsonNode)JsonValue.Create(v))];
        }

        if (rule.MaxItems is { } maxItems)
        {
            schema.MaxItems = maxItems;
        }
    }
}
