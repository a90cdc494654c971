using TeamPlatform.AppHost;
using TeamPlatform.Internal;

var builder = DistributedApplication.CreateBuilder(args);

var servers = builder.AddBackingServers();
var internalKey = builder.AddParameter("internal-service-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
// What the gateway, the console and the edge present to each other so that the client address they forward is believed.
var proxyKey = builder.AddParameter("trusted-proxy-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

// Every process runs as Replicas:{name} instances ({name}, {name}-b…; 1 unless configured). Clients reach port 5080: the
// gateway itself, or with several gateways the edge in front of them. That address is the issuer every service is told.
var gateways = builder.AddGateways<Projects.TeamPlatform_Gateway>();
var front = builder.AddFront<Projects.TeamPlatform_Edge>(gateways, proxyKey);
var publicUrl = front.GetEndpoint("http");

var identity = builder.AddService<Projects.TeamPlatform_Identity>(ServiceNames.Identity, servers, internalKey, publicUrl)
    .Each(instance => instance.WithEnvironment("TrustedProxies__Key", proxyKey));
var permission = builder.AddService<Projects.TeamPlatform_Permissions>(ServiceNames.Permission, servers, internalKey, publicUrl);
var invitation = builder.AddService<Projects.TeamPlatform_Invitations>(ServiceNames.Invitation, servers, internalKey, publicUrl);
var notification = builder.AddService<Projects.TeamPlatform_Notifications>(ServiceNames.Notification, servers, internalKey, publicUrl);

// The direct internal calls of docs/internal-api.md, each to every instance of the callee; every service also reads
// identity's signing keys.
identity.WithReference(permission).WithReference(invitation);
invitation.WithReference(identity).WithReference(permission);
notification.WithReference(identity).WithReference(permission);
permission.WithReference(identity);

// A service client for local tries of the permission check API with client credentials (docs/identity.md).
var devClientSecret = builder.AddParameter("dev-service-client-secret", new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);
identity.Each(instance => instance
    .WithEnvironment("Identity__Clients__0__ClientId", "dev-service")
    .WithEnvironment("Identity__Clients__0__ClientSecret", devClientSecret)
    .WithEnvironment("Identity__Clients__0__Scopes__0", "permissions.check"));

// The web console: the gateway serves it at every path the API does not take; it calls only the public API, through the front.
var console = builder.AddConsole<Projects.TeamPlatform_Console>(servers, front, proxyKey);

// The gateway waits for no service (docs/operations.md#health): it is ready once it runs and has read identity's revocation list, and
// answers a route whose service is down with 503 service_unavailable. Waiting would leave its port silent, /health
// included, for as long as any one service failed to start.
gateways
    .WithReference(console)
    .WithReference(identity)
    .WithReference(permission)
    .WithReference(invitation)
    .WithReference(notification)
    .Each(gateway => gateway
        .WithEnvironment("TrustedProxies__Key", proxyKey)
        .WithReference(servers.Broker).WaitFor(servers.Broker)
        .WithGatewayDatabase(servers)
        .WithEnvironment("Authentication__Issuer", publicUrl)
        .WithEnvironment("InternalServices__Key", internalKey)
        .WithHttpHealthCheck("/health")
        .WithTraceSampling(builder.Configuration));
front.ReportWhenReady();
builder.ReportExitedServices();

builder.Build().Run();
