using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Invitations.Features;

/// <summary>
/// Team management needs <c>admin_settings</c> (docs/product.md#team-management), asked of the permission service on every request so
/// that a change of access applies at once. Runs before the handler, after authentication.
/// </summary>
internal sealed class TeamManagementFilter(PermissionClient permission) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Actor() is not { } actor)
        {
            return ApiProblem.Forbidden("Invitations are managed by members of an organisation.");
        }

        if (!await permission.IsAllowedAsync(actor.OrgId, actor.MemberId, PermissionClient.AdminSettings, http.RequestAborted))
        {
            return ApiProblem.Forbidden("Managing invitations needs admin_settings.");
        }

        return await next(context);
    }
}
