using System.Security.Claims;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Api.OpenApi;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// Webhooks carry members' phones, so only an organisation's admins manage them: a member whose permission check for
/// <c>admin_settings</c> says they are an admin. The webhook routes' group asks before any handler runs.
/// </summary>
public static class WebhookAdmins
{
    public sealed record Admin(Guid OrgId, Guid MemberId);

    public static RouteGroupBuilder RequireOrganisationAdmin(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.User.OrgId() is not { } orgId || http.User.MemberId() is not { } memberId)
            {
                return ApiProblem.Forbidden("Webhooks are an organisation's: sign in as one of its admins.");
            }

            var answer = await http.RequestServices.GetRequiredService<PermissionClient>()
                .CheckAsync(orgId, memberId, PermissionClient.AdminSettings, http.RequestAborted);
            return answer is { Allowed: true, IsAdmin: true }
                ? await next(context)
                : ApiProblem.Forbidden("Only the organisation's admins manage webhooks: the events carry members' phones.");
        });
        return group.ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden);
    }

    /// <summary>The admin a webhook request acts as (its group's filter has checked the claims and the role).</summary>
    public static Admin Of(ClaimsPrincipal user) =>
        new(user.OrgId() ?? throw new InvalidOperationException("No organisation claim."), user.MemberId() ?? throw new InvalidOperationException("No member claim."));
}
