using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Identity;

public static class IdentityService
{
    public const string Name = "identity";

    public static IHostApplicationBuilder AddIdentityService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IdentityDbContext>(IdentityDbContext.ConnectionName);
        builder.AddMessaging<IdentityDbContext>(Name);
        builder.AddTokenAuthentication();
        builder.AddInternalAuthentication();
        return builder;
    }

    public static WebApplication MapIdentityEndpoints(this WebApplication app)
    {
        return app;
    }
}
