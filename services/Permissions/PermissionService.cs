using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions;

public static class PermissionService
{
    public const string Name = "permission";

    public static IHostApplicationBuilder AddPermissionService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PermissionDbContext>(PermissionDbContext.ConnectionName);
        builder.AddMessaging<PermissionDbContext>(Name);
        builder.AddTokenAuthentication();
        builder.AddInternalAuthentication();
        return builder;
    }

    public static WebApplication MapPermissionEndpoints(this WebApplication app)
    {
        return app;
    }
}
