using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Notifications;

public static class NotificationService
{
    public const string Name = "notification";

    public static IHostApplicationBuilder AddNotificationService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationDbContext>(NotificationDbContext.ConnectionName);
        builder.AddMessaging<NotificationDbContext>(Name);
        builder.AddTokenAuthentication();
        builder.AddInternalAuthentication();
        return builder;
    }

    public static WebApplication MapNotificationEndpoints(this WebApplication app)
    {
        return app;
    }
}
