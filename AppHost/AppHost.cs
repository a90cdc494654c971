using Microsoft.Extensions.Configuration;
using TeamPlatform.AppHost;
using TeamPlatform.Internal;

var builder = DistributedApplication.CreateBuilder(args);

var servers = builder.AddBackingServers();
var internalKey = builder.AddParameter("internal-service-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
// What the gateway and the console present to each other so that the client address they forward is believed.
var proxyKey = builder.AddParameter("trusted-proxy-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

var gateway = builder.AddProject<Projects.TeamPlatform_Gateway>(ServiceNames.Gateway)
    .WithExternalHttpEndpoints();
var publicUrl = gateway.GetEndpoint("http");

var identity = builder.AddService<Projects.TeamPlatform_Identity>(ServiceNames.Identity, servers, internalKey, publicUrl)
    .WithEnvironment("TrustedProxies__Key", proxyKey);
var permission = builder.AddService<Projects.TeamPlatform_Permissions>(ServiceNames.Permission, servers, internalKey, publicUrl);
var invitation = builder.AddService<Projects.TeamPlatform_Invitations>(ServiceNames.Invitation, servers, internalKey, publicUrl);
var notification = builder.AddService<Projects.TeamPlatform_Notifications>(ServiceNames.Notification, servers, internalKey, publicUrl);

// Permission:Replicas = 2 adds permission-b on the same database; the gateway spreads requests over both.
var permissionReplicas = builder.AddServiceReplicas<Projects.TeamPlatform_Permissions>(
    permission, builder.Configuration.GetValue("Permission:Replicas", 1), servers, internalKey, publicUrl);

// The direct internal calls of docs/internal-api.md; every service also reads identity's signing keys.
identity.WithReference(permission).WithReference(invitation);
invitation.WithReference(identity).WithReference(permission);
notification.WithReference(identity).WithReference(permission);
foreach (var replica in permissionReplicas.Prepend(permission))
{
    replica.WithReference(identity);
}

// A service client for local tries of the permission check API with client credentials (docs/identity.md).
var devClientSecret = builder.AddParameter("dev-service-client-secret", new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);
identity
    .WithEnvironment("Identity__Clients__0__ClientId", "dev-service")
    .WithEnvironment("Identity__Clients__0__ClientSecret", devClientSecret)
    .WithEnvironment("Identity__Clients__0__Scopes__0", "permissions.check");

// The web console: the gateway serves it at every path the API does not take; it calls only the public API, through the gateway.
var console = builder.AddConsole<Projects.TeamPlatform_Console>(ServiceNames.Console, servers, gateway, proxyKey);

// The gateway waits for no service (docs/operations.md#health): it is ready once it runs and has read identity's revocation list, and
// answers a route whose service is down with 503 service_unavailable. Waiting would leave its port silent, /health
// included, for as long as any one service failed to start.
gateway
    .WithReference(console)
    .WithEnvironment("TrustedProxies__Key", proxyKey)
    .WithReference(identity)
    .WithReference(permission)
    .WithReference(invitation)
    .WithReference(notification)
    .WithReference(servers.Broker).WaitFor(servers.Broker)
    .WithGatewayDatabase(servers)
    .WithEnvironment("Authentication__Issuer", publicUrl)
    .WithEnvironment("InternalServices__Key", internalKey)
    .WithHttpHealthCheck("/health")
    .WithTraceSampling(builder.Configuration)
    .WithReplicas(ServiceNames.Permission, permissionReplicas)
    .ReportWhenReady();
builder.ReportExitedServices();

builder.Build().Run();
