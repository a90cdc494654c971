using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Invitations;

public static class InvitationService
{
    public const string Name = "invitation";

    public static IHostApplicationBuilder AddInvitationService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<InvitationDbContext>(InvitationDbContext.ConnectionName);
        builder.AddMessaging<InvitationDbContext>(Name);
        builder.AddTokenAuthentication();
        builder.AddInternalAuthentication();
        return builder;
    }

    public static WebApplication MapInvitationEndpoints(this WebApplication app)
    {
        return app;
    }
}
