using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api.OpenApi;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>How every TeamPlatform HTTP API behaves at its edges: JSON, limits, problem details, OpenAPI.</summary>
public static class ApiDefaults
{
    public const int MaxRequestBodyBytes = 64 * 1024;

    public static TBuilder AddApiDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<JsonOptions>(json => ConfigureJson(json.SerializerOptions));
        // Malformed bodies always raise BadHttpRequestException, which becomes a problem with a code.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", ErrorCodes.ForStatus(status));
            // Routing answers these two with a bare status: say what the route takes.
            context.ProblemDetails.Detail ??= status switch
            {
                StatusCodes.Status405MethodNotAllowed => $"This route does not take {context.HttpContext.Request.Method}.",
                StatusCodes.Status415UnsupportedMediaType => BadRequestDescription.OfMediaType(context.HttpContext),
                _ => null,
            };
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DependencyUnavailableHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddOpenApi(ApiDocumentation.Describe);
        builder.Services.AddHostedService<ProblemAnswerWarmup>();
        return builder;
    }

    /// <summary>
    /// camelCase, enums as snake_case strings, unknown members refused (a typo must not pass silently), and strings that
    /// cannot be stored refused wherever they are in a body (docs/decisions/0013-text-that-cannot-be-stored.md).
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(StorableBodyText.Check);
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<StorableQueryText>();
        app.MapOpenApi();
        return app;
    }
}
