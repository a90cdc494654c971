using Microsoft.OpenApi;
using TeamPlatform.ServiceDefaults.Api.OpenApi;
using Xunit;

namespace TeamPlatform.Testing.OpenApi;

/// <summary>What every service's OpenAPI document must say: the problem schema, the security schemes, each operation's errors.</summary>
public static class DocumentChecks
{
    /// <summary>The codes of the error table in docs/product.md#errors.</summary>
    public static readonly IReadOnlyList<string> SpecCodes =
    [
        "validation_failed", "invalid_phone", "weak_password", "chatbot_number", "otp_invalid", "otp_expired", "otp_locked",
        "method_not_allowed", "unsupported_media_type", "service_unavailable", "unauthenticated",
        "forbidden", "escalation", "registration_closed", "invitation_phone_mismatch", "not_found",
        "slug_taken", "phone_taken", "already_member", "last_admin", "invitation_used", "invitation_not_expired",
        "invitation_expired", "conflict", "invitation_revoked", "payload_too_large", "rate_limited",
    ];

    public static void AssertProblemSchemaIsOpen(ApiDocument api)
    {
        var problem = api.Document.Components!.Schemas![ApiDocumentation.ProblemSchema];
        Assert.True(problem.AdditionalPropertiesAllowed);
        Assert.Null(problem.AdditionalProperties);
        var codes = problem.Properties!["code"].Enum!.Select(c => c.GetValue<string>()).ToList();
        Assert.Empty(SpecCodes.Except(codes));
        Assert.Equal(JsonSchemaType.String, problem.Properties["traceId"].Type);
        Assert.DoesNotContain("ProblemDetails", api.Document.Components.Schemas.Keys);
        Assert.DoesNotContain("HttpValidationProblemDetails", api.Document.Components.Schemas.Keys);
    }

    public static void AssertSecuritySchemes(ApiDocument api)
    {
        var schemes = api.Document.Components!.SecuritySchemes!;
        Assert.Equal((SecuritySchemeType.Http, "bearer", "JWT"),
            (schemes[ApiDocumentation.BearerScheme].Type!.Value, schemes[ApiDocumentation.BearerScheme].Scheme, schemes[ApiDocumentation.BearerScheme].BearerFormat));
        var flows = schemes[ApiDocumentation.OAuth2Scheme].Flows!;
        Assert.Equal(ApiDocumentation.TokenPath, flows.Password!.TokenUrl!.ToString());
        Assert.Equal(ApiDocumentation.TokenPath, flows.ClientCredentials!.TokenUrl!.ToString());
        Assert.Contains("permissions.check", flows.ClientCredentials.Scopes!.Keys);
        Assert.Null(api.Document.Security);
    }

    /// <summary>
    /// Every operation's errors are problems; one that needs a token says so and lists 401 and 403, an anonymous one
    /// needs none and lists 429; route values bring 404, a body 400, 413 and 415, and every one may meet 503.
    /// <paramref name="anonymous"/> names the anonymous operations ("POST /api/orgs"): the test knows them, the document must agree.
    /// </summary>
    public static void AssertOperationsDescribeTheirErrors(ApiDocument api, IReadOnlySet<string> anonymous, params string[] exceptPaths)
    {
        var operations = api.Operations.Where(o => !exceptPaths.Contains(o.Path)).ToList();
        Assert.NotEmpty(operations);
        Assert.Empty(anonymous.Except(operations.Select(o => $"{o.Method} {o.Path}")));
        foreach (var (path, method, operation) in operations)
        {
            var name = $"{method} {path}";
            var statuses = operation.Responses!.Keys.ToHashSet();
            Assert.True(statuses.Contains("503"), $"{name} does not list 503.");
            if (anonymous.Contains(name))
            {
                Assert.True(operation.Security is null or { Count: 0 }, $"{name} is anonymous but asks for a token.");
                Assert.True(statuses.Contains("429"), $"{name} does not list 429.");
            }
            else
            {
                Assert.True(operation.Security is { Count: 2 }, $"{name} needs a token but names no security scheme.");
                Assert.True(statuses.IsSupersetOf(["401", "403"]), $"{name} does not list 401 and 403.");
            }

            if (path.Contains('{', StringComparison.Ordinal))
            {
                Assert.True(statuses.Contains("404"), $"{name} has route values but no 404.");
            }

            if (operation.RequestBody is not null)
            {
                Assert.True(statuses.IsSupersetOf(["400", "413", "415"]), $"{name} has a body but does not list 400, 413 and 415.");
            }

            foreach (var (status, response) in operation.Responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var schema = response.Content?.TryGetValue("application/problem+json", out var media) == true ? media.Schema : null;
                Assert.True(schema is OpenApiSchemaReference { Reference.Id: ApiDocumentation.ProblemSchema }, $"{name} {status} is not a problem.");
            }
        }
    }

    /// <summary>The bounds a query parameter's schema states.</summary>
    public static IOpenApiSchema QueryParameter(OpenApiOperation operation, string name) =>
        operation.Parameters!.Single(p => p.In == ParameterLocation.Query && p.Name == name).Schema!;

    public static IReadOnlyList<string> AllowedValues(IOpenApiSchema schema) =>
        schema.Enum?.Select(v => v.GetValue<string>()).ToList() ?? [];
}
