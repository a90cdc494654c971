using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.ServiceDefaults.Api.OpenApi;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// The OAuth2 / OpenID endpoints in identity's OpenAPI document. OpenIddict answers them, not minimal APIs, so nothing
/// describes them unless this does: the token request of each grant (form-encoded), the token answer, OAuth2's error
/// answer (RFC 6749, section 5.2), revocation (RFC 7009), discovery and the signing keys.
/// </summary>
internal static class TokenEndpointsDocument
{
    public const string Tag = "Tokens";
    private const string FormEncoded = "application/x-www-form-urlencoded";
    private const string Json = "application/json";

    public static void Describe(OpenApiOptions options) => options.AddDocumentTransformer((document, _, _) =>
    {
        var schemas = document.Components!.Schemas!;
        schemas["PasswordGrantRequest"] = Form("A member logs in.", new()
        {
            ["grant_type"] = Const(GrantTypes.Password),
            ["username"] = Text("The member's phone, E.164 (spaces and dashes are ignored)."),
            ["password"] = Text("The member's password."),
            [PasswordGrant.OrganisationParameter] = Text("The organisation's slug."),
            ["scope"] = Text($"`{Scopes.OfflineAccess}` for a refresh token too."),
        }, ["grant_type", "username", "password", PasswordGrant.OrganisationParameter]);
        schemas["RefreshTokenGrantRequest"] = Form("New tokens for a session; the refresh token is single use (it rotates).", new()
        {
            ["grant_type"] = Const(GrantTypes.RefreshToken),
            ["refresh_token"] = Text("The refresh token the last token answer gave."),
        }, ["grant_type", "refresh_token"]);
        schemas["ClientCredentialsGrantRequest"] = Form("A service gets a token of its own.", new()
        {
            ["grant_type"] = Const(GrantTypes.ClientCredentials),
            ["client_id"] = Text("The service's client id."),
            ["client_secret"] = Text("The service's client secret (or send both as HTTP Basic credentials)."),
            ["scope"] = Text("Space-separated scopes, e.g. `permissions.check`."),
        }, ["grant_type"]);
        schemas["RevocationRequest"] = Form("Ends a refresh token's session, or revokes an access token.", new()
        {
            ["token"] = Text("The token to revoke."),
            ["token_type_hint"] = Enum("refresh_token", "access_token"),
            ["client_id"] = Text("A service's client id (members' apps send none)."),
            ["client_secret"] = Text("A service's client secret."),
        }, ["token"]);
        schemas["TokenResponse"] = Object("The tokens (RFC 6749, section 5.1).", new()
        {
            ["access_token"] = Text("A signed JWT naming the member (sub), organisation (org) and session (sid)."),
            ["token_type"] = Enum("Bearer"),
            ["expires_in"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Seconds the access token lives." },
            ["refresh_token"] = Text("Given for the password and refresh grants with offline_access; single use."),
            ["scope"] = Text("The scopes granted."),
        }, ["access_token", "token_type", "expires_in"]);
        schemas["OAuthError"] = Object("OAuth2's error answer (RFC 6749, section 5.2).", new()
        {
            ["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "What went wrong; for a refused login `invalid_grant`, the reason in error_description.",
            },
            ["error_description"] = Text($"For a refused login one of `{LoginRefusals.InvalidCredentials}`, `{LoginRefusals.AccountLocked}`, `{LoginRefusals.PendingApproval}`, `{LoginRefusals.AccessBlocked}`."),
            ["error_uri"] = Text("Where the error is explained."),
        }, ["error"]);
        schemas["OpenIdConfiguration"] = Object("OpenID Connect discovery (RFC 8414): issuer and endpoints.", new()
        {
            ["issuer"] = Text("The issuer every token names."),
            ["token_endpoint"] = Text("Where to ask for tokens."),
            ["revocation_endpoint"] = Text("Where to revoke them."),
            ["jwks_uri"] = Text("Where the signing keys are."),
            ["grant_types_supported"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text("A grant type.") },
        }, ["issuer", "token_endpoint", "jwks_uri"]);
        schemas["JsonWebKeySet"] = Object("The keys that sign access tokens (RFC 7517).", new()
        {
            ["keys"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "One JSON Web Key." },
            },
        }, ["keys"]);

        document.Paths["/" + TokenServer.TokenEndpoint] = Post(
            "Get tokens: a member's login (password), a session's renewal (refresh_token) or a service's (client_credentials)",
            new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [FormEncoded] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            OneOf = [Ref(document, "PasswordGrantRequest"), Ref(document, "RefreshTokenGrantRequest"), Ref(document, "ClientCredentialsGrantRequest")],
                        },
                    },
                },
            },
            document,
            ("200", Answer("The tokens.", Json, Ref(document, "TokenResponse"))),
            ("400", Answer("The request, the grant or the login is refused.", Json, Ref(document, "OAuthError"))),
            ("401", Answer("The client's credentials are wrong (invalid_client).", Json, Ref(document, "OAuthError"))));
        document.Paths["/" + TokenServer.RevocationEndpoint] = Post(
            "Revoke a token: a refresh token ends its session",
            new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { [FormEncoded] = new() { Schema = Ref(document, "RevocationRequest") } },
            },
            document,
            ("200", Answer("Revoked, or unknown (RFC 7009: the same answer); the body is an empty object.", Json, Empty())),
            ("400", Answer("The request is refused.", Json, Ref(document, "OAuthError"))),
            ("401", Answer("The client's credentials are wrong (invalid_client).", Json, Ref(document, "OAuthError"))));
        document.Paths["/" + TokenServer.DiscoveryEndpoint] = Get(
            "OpenID Connect discovery: the issuer and where its endpoints are",
            document,
            Answer("The configuration.", Json, Ref(document, "OpenIdConfiguration")));
        document.Paths["/" + TokenServer.KeysEndpoint] = Get(
            "The public keys that sign access tokens",
            document,
            Answer("The key set.", Json, Ref(document, "JsonWebKeySet")));
        return Task.CompletedTask;
    });

    private static OpenApiPathItem Post(string summary, OpenApiRequestBody body, OpenApiDocument document, params (string Status, OpenApiResponse Answer)[] answers)
    {
        var responses = new OpenApiResponses();
        foreach (var (status, answer) in answers)
        {
            responses[status] = answer;
        }

        // The form goes through the same body limit as every request: past it, the limit answers before the token server reads it.
        responses["413"] = Problem(document, "The body is larger than 64 KiB. code: `payload_too_large`.");
        responses["429"] = Problem(document, "Too many requests from this client: try again after Retry-After seconds. code: `rate_limited`.");
        responses["503"] = Problem(document, "The identity service is unreachable: try again after Retry-After seconds. code: `service_unavailable`.");
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = new() { Summary = summary, Tags = Tags(document), RequestBody = body, Responses = responses },
            },
        };
    }

    private static OpenApiPathItem Get(string summary, OpenApiDocument document, OpenApiResponse answer) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Summary = summary,
                Tags = Tags(document),
                Responses = new OpenApiResponses
                {
                    ["200"] = answer,
                    ["429"] = Problem(document, "Too many requests from this client: try again after Retry-After seconds. code: `rate_limited`."),
                    ["503"] = Problem(document, "The identity service is unreachable: try again after Retry-After seconds. code: `service_unavailable`."),
                },
            },
        },
    };

    private static HashSet<OpenApiTagReference> Tags(OpenApiDocument document)
    {
        document.Tags ??= new HashSet<OpenApiTag>();
        if (!document.Tags.Any(t => t.Name == Tag))
        {
            document.Tags.Add(new OpenApiTag { Name = Tag, Description = "OAuth2 and OpenID Connect: how every client starts." });
        }

        return [new OpenApiTagReference(Tag, document)];
    }

    private static OpenApiResponse Answer(string description, string mediaType, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = schema } },
    };

    private static OpenApiResponse Problem(OpenApiDocument document, string description) =>
        Answer(description, "application/problem+json", Ref(document, ApiDocumentation.ProblemSchema));

    private static OpenApiSchemaReference Ref(OpenApiDocument document, string name) => new(name, document);

    private static OpenApiSchema Form(string description, Dictionary<string, IOpenApiSchema> properties, string[] required) =>
        Object(description, properties, required);

    private static OpenApiSchema Object(string description, Dictionary<string, IOpenApiSchema> properties, string[] required) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties,
        Required = new HashSet<string>(required),
    };

    private static OpenApiSchema Empty() => new() { Type = JsonSchemaType.Object, AdditionalPropertiesAllowed = false };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Const(string value) => new() { Type = JsonSchemaType.String, Const = value };

    private static OpenApiSchema Enum(params string[] values) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };
}
