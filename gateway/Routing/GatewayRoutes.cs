using Yarp.ReverseProxy.Configuration;

using TeamPlatform.Gateway.Edge;
using TeamPlatform.Internal;

namespace TeamPlatform.Gateway.Routing;

/// <summary>
/// The public API, each path to the service that owns it, and the console at every other path.
/// <c>/internal/…</c> has no route, so service-to-service calls are never reachable from outside. Routes name paths, not
/// methods: the service that owns a path answers a method it does not take with <c>405 method_not_allowed</c>.
/// </summary>
public static class GatewayRoutes
{
    public const string Console = ServiceNames.Console;

    /// <summary>The services whose API the gateway publishes (and whose OpenAPI documents <c>/docs</c> gathers).</summary>
    public static readonly IReadOnlyList<string> Services = ServiceNames.Api;

    /// <summary>
    /// First path segments that belong to the API or to the gateway itself: an unknown path under them is the gateway's
    /// 404 problem, never a console page.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedSegments =
        ["api", "connect", ".well-known", "docs", "openapi", "webhooks", "health", "alive", "internal"];

    public static IReadOnlyList<RouteConfig> Routes { get; } =
    [
        // identity: organisations, registration, tokens, own profile and sessions
        Anonymous("orgs-create", ServiceNames.Identity, "/api/orgs"),
        Anonymous("org-registrations", ServiceNames.Identity, "/api/orgs/{slug}/registrations"),
        Anonymous("org-password-resets", ServiceNames.Identity, "/api/orgs/{slug}/password-resets"),
        Anonymous("registrations", ServiceNames.Identity, "/api/registrations/{**rest}"),
        Anonymous("password-resets", ServiceNames.Identity, "/api/password-resets/{**rest}"),
        Anonymous("connect", ServiceNames.Identity, "/connect/{**rest}"),
        Anonymous("well-known", ServiceNames.Identity, "/.well-known/{**rest}"),
        Authenticated("org", ServiceNames.Identity, "/api/org"),
        Authenticated("me", ServiceNames.Identity, "/api/me/{**rest}"),

        // permission: members, access, groups, checks, audit (the list, its export and verification), the access review
        Authenticated("members", ServiceNames.Permission, "/api/members/{**rest}"),
        Authenticated("roles", ServiceNames.Permission, "/api/roles"),
        Authenticated("groups", ServiceNames.Permission, "/api/groups/{**rest}"),
        Authenticated("conversations", ServiceNames.Permission, "/api/conversations/{**rest}"),
        Authenticated("permissions", ServiceNames.Permission, "/api/permissions/{**rest}"),
        Authenticated("audit", ServiceNames.Permission, "/api/audit/{**rest}"),
        Authenticated("access-review", ServiceNames.Permission, "/api/access-review"),

        // invitation: the preview is what an invitee sees before having any account
        Anonymous("invitation-preview", ServiceNames.Invitation, "/api/invitations/preview/{token}"),
        Authenticated("invitations", ServiceNames.Invitation, "/api/invitations/{**rest}"),

        // notification: the delivery log, the organisation's webhooks, and the development channel (answers only where it is on)
        Authenticated("notifications", ServiceNames.Notification, "/api/notifications/{**rest}"),
        Authenticated("webhook-endpoints", ServiceNames.Notification, "/api/webhooks/{**rest}"),
        Anonymous("dev-notifications", ServiceNames.Notification, "/api/dev/notifications"),
        // Provider callbacks arrive in bursts from a few addresses; their signatures, not a rate, keep them honest.
        Anonymous("notification-webhooks", ServiceNames.Notification, "/webhooks/{**rest}") with { RateLimiterPolicy = null },

        // each service's OpenAPI document, gathered under /docs
        .. Services.Select(service => new RouteConfig
        {
            RouteId = $"openapi-{service}",
            ClusterId = service,
            Match = new RouteMatch { Path = $"/openapi/{service}.json" },
            AuthorizationPolicy = GatewayPolicies.Anonymous,
            Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
        }),

        // the console: its pages at every path the API does not take (rate limited like any anonymous route), its
        // framework files and circuit without a limit (one page load fetches a dozen of them)
        Anonymous("console-home", Console, "/"),
        Anonymous("console-pages", Console, $"/{{**path:regex(^(?!({string.Join('|', ReservedSegments.Select(System.Text.RegularExpressions.Regex.Escape))})(/|$)))}}"),
        .. new[] { "_framework", "_content", "_blazor", "assets" }.Select(folder =>
            Anonymous($"console-{folder.TrimStart('_')}", Console, $"/{folder}/{{**rest}}") with { RateLimiterPolicy = null }),
        Anonymous("console-styles", Console, @"/{file:regex(^[\w.]+\.styles\.css$)}") with { RateLimiterPolicy = null },
    ];

    private static RouteConfig Anonymous(string id, string cluster, string path) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path },
        AuthorizationPolicy = GatewayPolicies.Anonymous,
        RateLimiterPolicy = GatewayPolicies.AnonymousRateLimit,
    };

    private static RouteConfig Authenticated(string id, string cluster, string path) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path },
        AuthorizationPolicy = GatewayPolicies.Authenticated,
    };

    /// <summary>
    /// One cluster per service, with one destination, <c>http://{service}</c>: service discovery turns it into one
    /// destination per instance of the service (the AppHost lists every instance under the service's name).
    /// </summary>
    public static IReadOnlyList<ClusterConfig> Clusters(IConfiguration configuration) =>
        Services.Append(Console).Select(service => new ClusterConfig
        {
            ClusterId = service,
            Destinations = new Dictionary<string, DestinationConfig> { [service] = new() { Address = $"http://{service}" } },
            HttpRequest = service == Console ? null : ServiceUnavailableAnswer.RequestConfig(configuration),
            // A console page's circuit lives in one instance: its websocket must reach the instance that drew the page.
            SessionAffinity = service == Console
                ? new SessionAffinityConfig { Enabled = true, Policy = "HashCookie", AffinityKeyName = ".TeamPlatform.Console.Instance" }
                : null,
        }).ToList();
}
