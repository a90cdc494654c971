using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api.OpenApi;

/// <summary>
/// What every service's OpenAPI document says besides its routes: that clients reach it through the gateway, how to
/// get and present a token, and what every error answer looks like (<see cref="ErrorAnswers"/> gives them to operations).
/// </summary>
public static class ApiDocumentation
{
    /// <summary>The one document each service publishes, at <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";
    public const string ProblemSchema = "Problem";
    public const string BearerScheme = "bearer";
    public const string OAuth2Scheme = "oauth2";
    public const string TokenPath = "/connect/token";

    /// <summary>The scopes a client may ask for at <see cref="TokenPath"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Scopes = new Dictionary<string, string>
    {
        ["offline_access"] = "A refresh token beside the access token (members' logins).",
        ["permissions.check"] = "Check any member's permissions in an organisation the service names (client credentials).",
    };

    // The framework's own problem schemas forbid the members every real problem carries (code, traceId).
    private static readonly string[] FrameworkProblemSchemas = ["ProblemDetails", "HttpValidationProblemDetails"];

    public static void Describe(OpenApiOptions options)
    {
        options.AddOperationTransformer<ErrorAnswers>();
        options.AddSchemaTransformer((schema, context, _) =>
        {
            // A member left out of the answer when it is null is not required: a strict client would refuse every answer without it.
            foreach (var property in context.JsonTypeInfo.Properties.Where(OmittedWhenNull))
            {
                schema.Required?.Remove(property.Name);
            }

            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            // Clients reach every service through the gateway: the document names no server of its own.
            document.Servers = [new OpenApiServer { Url = "/" }];
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            foreach (var name in FrameworkProblemSchemas)
            {
                document.Components.Schemas.Remove(name);
            }

            document.Components.Schemas[ProblemSchema] = Problem();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = $"An access token from {TokenPath}: a member's (password grant) or a service's (client credentials).",
                },
                [OAuth2Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Description = "Members log in with phone (username), password and their organisation's slug (org); services with their client credentials.",
                    Flows = new OpenApiOAuthFlows
                    {
                        Password = new OpenApiOAuthFlow
                        {
                            TokenUrl = new Uri(TokenPath, UriKind.Relative),
                            RefreshUrl = new Uri(TokenPath, UriKind.Relative),
                            Scopes = new Dictionary<string, string> { ["offline_access"] = Scopes["offline_access"] },
                        },
                        ClientCredentials = new OpenApiOAuthFlow
                        {
                            TokenUrl = new Uri(TokenPath, UriKind.Relative),
                            Scopes = new Dictionary<string, string> { ["permissions.check"] = Scopes["permissions.check"] },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        });
    }

    /// <summary>What a service adds to its own document: what only it knows of its schemas or routes.</summary>
    public static IServiceCollection ConfigureApiDocument(this IServiceCollection services, Action<OpenApiOptions> configure) =>
        services.Configure(DocumentName, configure);

    private static bool OmittedWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: false)
            .OfType<JsonIgnoreAttribute>().Any(ignore => ignore.Condition == JsonIgnoreCondition.WhenWritingNull) == true;

    internal static OpenApiSecurityRequirement SecurityRequirement(OpenApiDocument document, string scheme) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    /// <summary>RFC 9457 problem details as TeamPlatform answers them: open to members a later version may add.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. `code` is stable: branch on it, not on the words of `title` or `detail`.",
        Required = new HashSet<string> { "status", "code" },
        AdditionalPropertiesAllowed = true,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "What went wrong, one of a fixed list; the status follows from it.",
                Enum = [.. ErrorCodes.All.Order(StringComparer.Ordinal).Select(code => (JsonNode)JsonValue.Create(code))],
            },
            ["traceId"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The W3C trace of the request: quote it when asking what happened.",
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Each invalid field, with what is wrong with it.",
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
        },
    };
}
