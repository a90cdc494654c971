using Microsoft.Extensions.Configuration;
using TeamPlatform.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var servers = builder.AddBackingServers();
var internalKey = builder.AddParameter("internal-service-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

var gateway = builder.AddProject<Projects.TeamPlatform_Gateway>("gateway")
    .WithExternalHttpEndpoints();
var publicUrl = gateway.GetEndpoint("http");

var permission = builder.AddService<Projects.TeamPlatform_Permissions>("permission", servers, internalKey, publicUrl);
// Permission:Replicas = 2 adds permission-b on the same database; the gateway spreads checks over both.
var permissionReplicas = builder.AddServiceReplicas<Projects.TeamPlatform_Permissions>(
    permission, builder.Configuration.GetValue("Permission:Replicas", 1), servers, internalKey, publicUrl);
var invitation = builder.AddService<Projects.TeamPlatform_Invitations>("invitation", servers, internalKey, publicUrl)
    .WithReference(permission);
var identity = builder.AddService<Projects.TeamPlatform_Identity>("identity", servers, internalKey, publicUrl)
    .WithReference(permission)
    .WithReference(invitation);
var notification = builder.AddService<Projects.TeamPlatform_Notifications>("notification", servers, internalKey, publicUrl);

gateway
    .WithReference(identity).WaitFor(identity)
    .WithReference(permission).WaitFor(permission)
    .WithReference(invitation).WaitFor(invitation)
    .WithReference(notification).WaitFor(notification)
    .WithReference(servers.Broker).WaitFor(servers.Broker)
    .WithEnvironment("Authentication__Issuer", publicUrl)
    .WithEnvironment("InternalServices__Key", internalKey)
    .WithHttpHealthCheck("/health")
    .WithReplicas("permission", permissionReplicas);

builder.Build().Run();
