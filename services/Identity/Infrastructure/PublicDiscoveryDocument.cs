using System.Text.Json;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// The discovery document as a client library validates it (docs/decisions/0105-discovery-from-the-issuer.md): every
/// endpoint under the configured issuer, never under the request's <c>Host</c> or forwarded host, which a client chooses;
/// and only what this server does. It issues no ID token and has no authorization endpoint, so the OpenID Connect members
/// go and <c>response_types_supported</c> says, as RFC 8414 requires it to, that no response type is supported.
/// </summary>
internal sealed class PublicDiscoveryDocument : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<PublicDiscoveryDocument>()
            // After every built-in handler that fills the document from the request.
            .SetOrder(int.MaxValue - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        var issuer = context.Options.Issuer
            ?? throw new InvalidOperationException("The token server has no issuer; Authentication:Issuer is validated at start.");
        context.Issuer = issuer;
        context.TokenEndpoint = new Uri(issuer, TokenServer.TokenEndpoint);
        context.RevocationEndpoint = new Uri(issuer, TokenServer.RevocationEndpoint);
        context.JsonWebKeySetEndpoint = new Uri(issuer, TokenServer.KeysEndpoint);

        context.Claims.Clear();
        context.SubjectTypes.Clear();
        context.IdTokenSigningAlgorithms.Clear();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// What describes an authorization endpoint, which this server does not have, goes from the finished answer, and
    /// <c>response_types_supported</c>, required even when empty, is added back: OpenIddict drops empty members when it
    /// builds the document, and keeps what is added to the answer.
    /// </summary>
    internal sealed class WithoutAuthorizationEndpoint : IOpenIddictServerHandler<ApplyConfigurationResponseContext>
    {
        private static readonly JsonElement None = JsonDocument.Parse("[]").RootElement.Clone();

        private static readonly string[] AuthorizationRequestMembers =
        [
            Metadata.PromptValuesSupported,
            Metadata.ClaimsParameterSupported,
            Metadata.RequestParameterSupported,
            Metadata.RequestUriParameterSupported,
            Metadata.RequirePushedAuthorizationRequests,
            Metadata.AuthorizationResponseIssParameterSupported,
        ];

        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyConfigurationResponseContext>()
                .UseSingletonHandler<WithoutAuthorizationEndpoint>()
                // Before the ASP.NET Core handlers write the answer.
                .SetOrder(int.MinValue + 100_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ApplyConfigurationResponseContext context)
        {
            if (!string.IsNullOrEmpty(context.Response.Error))
            {
                return ValueTask.CompletedTask;
            }

            foreach (var member in AuthorizationRequestMembers)
            {
                context.Response.RemoveParameter(member);
            }

            if (!context.Response.HasParameter(Metadata.ResponseTypesSupported))
            {
                context.Response.AddParameter(Metadata.ResponseTypesSupported, new OpenIddictParameter(None));
            }

            return ValueTask.CompletedTask;
        }
    }
}
